import { Injectable } from '@nestjs/common';
import { checkAttributeDefinition, type AttributeDefinitionSettings } from '../../domain/configuration';
import { AttributeDefinitionRepository, type AttributeDefinitionChanges } from '../attribute-definition.repository';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import { checkVersion, type ExpectedVersion } from '../resource-version';

/**
 * Type, values, maximum length and searchability; scope and name stay, since stored
 * activities and customers carry values under that name. Values already stored are kept
 * as they are; the new rules apply to the next starts.
 */
@Injectable()
export class UpdateAttributeDefinition {
  constructor(private readonly definitions: AttributeDefinitionRepository, private readonly change: ConfigurationChange) {}

  execute(id: string, changes: AttributeDefinitionChanges, expected?: ExpectedVersion): Promise<AttributeDefinitionSettings> {
    return this.change.apply(async () => {
      // Locked: the whole definition is written back, so a concurrent change must be read, not overwritten.
      const current = found(await this.definitions.byId(id, { lock: true }), 'attribute definition', id);
      checkVersion('attribute definition', id, current, expected);
      const type = changes.type ?? current.type;
      const next = {
        ...current,
        type,
        // Turning an enumeration into a free string drops its values unless new ones are given.
        enumValues: changes.enumValues ?? (type === 'string' ? [] : current.enumValues),
        maxLength: changes.maxLength ?? current.maxLength,
        searchable: changes.searchable ?? current.searchable,
      };
      checkAttributeDefinition(next);
      await this.definitions.update(id, { type: next.type, enumValues: next.enumValues, maxLength: next.maxLength, searchable: next.searchable });
      return found(await this.definitions.byId(id), 'attribute definition', id);
    });
  }
}
