import type { AttributeScope } from '../../../platform/settings/attribute-rules';
import type { AttributeDefinitionSettings } from '../domain/configuration';

export type NewAttributeDefinition = Omit<AttributeDefinitionSettings, 'id'>;
export type AttributeDefinitionChanges = Partial<Pick<NewAttributeDefinition, 'type' | 'enumValues' | 'maxLength' | 'searchable'>>;

export abstract class AttributeDefinitionRepository {
  abstract list(scope?: AttributeScope): Promise<AttributeDefinitionSettings[]>;
  abstract byId(id: string): Promise<AttributeDefinitionSettings | undefined>;
  /** Throws ResourceAlreadyExists when the scope already has an attribute of that name. */
  abstract create(definition: NewAttributeDefinition): Promise<string>;
  abstract update(id: string, changes: AttributeDefinitionChanges): Promise<void>;
}
