import type { AttributeScope } from '../../../platform/settings/attribute-rules';
import type { AttributeDefinitionSettings } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export type NewAttributeDefinition = Omit<AttributeDefinitionSettings, 'id'>;
export type AttributeDefinitionChanges = Partial<Pick<NewAttributeDefinition, 'type' | 'enumValues' | 'maxLength' | 'searchable'>>;

export abstract class AttributeDefinitionRepository {
  abstract list(page: ListPage, scope?: AttributeScope): Promise<ListPageOf<AttributeDefinitionSettings>>;
  /** With `lock`, the row stays locked until the transaction ends: concurrent changes of it run one after the other, each reading what the previous one wrote. */
  abstract byId(id: string, options?: { lock?: boolean }): Promise<AttributeDefinitionSettings | undefined>;
  /** Throws ResourceAlreadyExists when the scope already has an attribute of that name. */
  abstract create(definition: NewAttributeDefinition): Promise<string>;
  abstract update(id: string, changes: AttributeDefinitionChanges): Promise<void>;
}
