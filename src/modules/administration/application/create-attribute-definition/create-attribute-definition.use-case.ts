import { Injectable } from '@nestjs/common';
import { checkAttributeDefinition, type AttributeDefinitionSettings } from '../../domain/configuration';
import { AttributeDefinitionRepository, type NewAttributeDefinition } from '../attribute-definition.repository';
import { ConfigurationChange } from '../configuration-change';

@Injectable()
export class CreateAttributeDefinition {
  constructor(private readonly definitions: AttributeDefinitionRepository, private readonly change: ConfigurationChange) {}

  execute(command: NewAttributeDefinition): Promise<AttributeDefinitionSettings> {
    checkAttributeDefinition(command);
    return this.change.apply(async () => ({ id: await this.definitions.create(command), ...command }));
  }
}
