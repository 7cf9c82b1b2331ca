import type { AttributeScope } from './attribute-rules';

/**
 * A row of `attribute_definition` as mysql2 returns it. `enum_values` is a JSON array for an
 * enumeration and NULL for a free string; the driver hands a JSON column over as text or
 * already decoded, depending on the server (MariaDB stores JSON as LONGTEXT).
 */
export interface AttributeDefinitionRow {
  scope: AttributeScope;
  name: string;
  type: 'string' | 'enum';
  enum_values: string[] | string | null;
  max_length: number;
  searchable: number;
}

export const ATTRIBUTE_DEFINITION_COLUMNS = 'scope, name, type, enum_values, max_length, searchable';

/** The definition a row stores; the configuration API and the start's checks read it the same way. */
export function attributeDefinitionOf(r: AttributeDefinitionRow) {
  return {
    scope: r.scope,
    name: r.name,
    type: r.type,
    enumValues: r.enum_values === null ? [] : typeof r.enum_values === 'string' ? (JSON.parse(r.enum_values) as string[]) : r.enum_values,
    maxLength: Number(r.max_length),
    searchable: Number(r.searchable) === 1,
  };
}

/** What `enum_values` holds for a definition being written. */
export function enumValuesColumn(type: 'string' | 'enum', values: readonly string[]): string | null {
  return type === 'enum' ? JSON.stringify(values) : null;
}
