import { Injectable } from '@nestjs/common';
import type { AttributeDefinitionSettings } from '../../domain/configuration';
import { AttributeDefinitionRepository } from '../attribute-definition.repository';
import { found } from '../found';

@Injectable()
export class GetAttributeDefinition {
  constructor(private readonly definitions: AttributeDefinitionRepository) {}

  async execute(id: string): Promise<AttributeDefinitionSettings> {
    return found(await this.definitions.byId(id), 'attribute definition', id);
  }
}
