import { Injectable } from '@nestjs/common';
import { ATTRIBUTE_DEFINITION_COLUMNS, attributeDefinitionOf, enumValuesColumn, type AttributeDefinitionRow } from '../../../platform/settings/attribute-definition-row';
import type { AttributeScope } from '../../../platform/settings/attribute-rules';
import { AttributeDefinitionRepository, type AttributeDefinitionChanges, type NewAttributeDefinition } from '../application/attribute-definition.repository';
import type { AttributeDefinitionSettings } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

type Row = AttributeDefinitionRow & { id: string };
const COLUMNS = `id, ${ATTRIBUTE_DEFINITION_COLUMNS}`;

const toDefinition = (r: Row): AttributeDefinitionSettings => ({ id: String(r.id), ...attributeDefinitionOf(r) });

@Injectable()
export class MysqlAttributeDefinitionRepository extends MysqlConfigurationTable implements AttributeDefinitionRepository {
  list(page: ListPage, scope?: AttributeScope): Promise<ListPageOf<AttributeDefinitionSettings>> {
    return this.listPage(`SELECT ${COLUMNS} FROM attribute_definition`, 'id', page, toDefinition, scope ? { sql: 'scope = ?', params: [scope] } : undefined);
  }

  async byId(id: string, options: { lock?: boolean } = {}): Promise<AttributeDefinitionSettings | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`SELECT ${COLUMNS} FROM attribute_definition WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toDefinition(rows[0]);
  }

  create(d: NewAttributeDefinition): Promise<string> {
    return this.insert(
      'INSERT INTO attribute_definition (scope, name, type, enum_values, max_length, searchable) VALUES (?, ?, ?, ?, ?, ?)',
      [d.scope, d.name, d.type, enumValuesColumn(d.type, d.enumValues), d.maxLength, d.searchable ? 1 : 0],
      'attribute definition',
      'name',
    );
  }

  async update(id: string, c: AttributeDefinitionChanges): Promise<void> {
    await this.query('UPDATE attribute_definition SET type = ?, enum_values = ?, max_length = ?, searchable = ? WHERE id = ?', [
      c.type,
      enumValuesColumn(c.type!, c.enumValues ?? []),
      c.maxLength,
      c.searchable ? 1 : 0,
      id,
    ]);
  }
}
