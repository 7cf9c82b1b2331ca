import { Injectable } from '@nestjs/common';
import type { AttributeScope } from '../../../../platform/settings/attribute-rules';
import type { AttributeDefinitionSettings } from '../../domain/configuration';
import { AttributeDefinitionRepository } from '../attribute-definition.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListAttributeDefinitions {
  constructor(private readonly definitions: AttributeDefinitionRepository) {}

  execute(page: ListPage, scope?: AttributeScope): Promise<ListPageOf<AttributeDefinitionSettings>> {
    return this.definitions.list(page, scope);
  }
}
