import { Injectable } from '@nestjs/common';
import type { AttributeScope } from '../../../../platform/settings/attribute-rules';
import type { AttributeDefinitionSettings } from '../../domain/configuration';
import { AttributeDefinitionRepository } from '../attribute-definition.repository';

@Injectable()
export class ListAttributeDefinitions {
  constructor(private readonly definitions: AttributeDefinitionRepository) {}

  execute(scope?: AttributeScope): Promise<AttributeDefinitionSettings[]> {
    return this.definitions.list(scope);
  }
}
