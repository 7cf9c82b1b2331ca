import { Injectable } from '@nestjs/common';
import type { AttributeScope } from '../../../platform/settings/attribute-rules';
import { AttributeDefinitionRepository, type AttributeDefinitionChanges, type NewAttributeDefinition } from '../application/attribute-definition.repository';
import type { AttributeDefinitionSettings, AttributeType } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';

interface Row { id: string; scope: AttributeScope; name: string; type: AttributeType; enum_values: string[] | string | null; max_length: number; searchable: number }
const COLUMNS = 'id, scope, name, type, enum_values, max_length, searchable';

const toDefinition = (r: Row): AttributeDefinitionSettings => ({
  id: String(r.id),
  scope: r.scope,
  name: r.name,
  type: r.type,
  enumValues: r.enum_values === null ? [] : typeof r.enum_values === 'string' ? (JSON.parse(r.enum_values) as string[]) : r.enum_values,
  maxLength: Number(r.max_length),
  searchable: Number(r.searchable) === 1,
});

/** Enumeration values are stored as a JSON array (NULL for free strings), as PlatformSettings reads them. */
const enumColumn = (type: AttributeType, values: string[]) => (type === 'enum' ? JSON.stringify(values) : null);

@Injectable()
export class MysqlAttributeDefinitionRepository extends MysqlConfigurationTable implements AttributeDefinitionRepository {
  async list(scope?: AttributeScope): Promise<AttributeDefinitionSettings[]> {
    const rows = scope
      ? await this.query<Row[]>(`SELECT ${COLUMNS} FROM attribute_definition WHERE scope = ? ORDER BY id`, [scope])
      : await this.query<Row[]>(`SELECT ${COLUMNS} FROM attribute_definition ORDER BY id`);
    return rows.map(toDefinition);
  }

  async byId(id: string): Promise<AttributeDefinitionSettings | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`SELECT ${COLUMNS} FROM attribute_definition WHERE id = ?`, [id]);
    return rows[0] && toDefinition(rows[0]);
  }

  create(d: NewAttributeDefinition): Promise<string> {
    return this.insert(
      'INSERT INTO attribute_definition (scope, name, type, enum_values, max_length, searchable) VALUES (?, ?, ?, ?, ?, ?)',
      [d.scope, d.name, d.type, enumColumn(d.type, d.enumValues), d.maxLength, d.searchable ? 1 : 0],
      'attribute definition',
      'name',
    );
  }

  async update(id: string, c: AttributeDefinitionChanges): Promise<void> {
    await this.query('UPDATE attribute_definition SET type = ?, enum_values = ?, max_length = ?, searchable = ? WHERE id = ?', [
      c.type,
      enumColumn(c.type!, c.enumValues ?? []),
      c.maxLength,
      c.searchable ? 1 : 0,
      id,
    ]);
  }
}
