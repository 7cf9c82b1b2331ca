import { attributeDefinitionOf, enumValuesColumn, type AttributeDefinitionRow } from './attribute-definition-row';

const row = (over: Partial<AttributeDefinitionRow>): AttributeDefinitionRow => ({
  scope: 'activity',
  name: 'tier',
  type: 'enum',
  enum_values: '["gold","silver"]',
  max_length: 20,
  searchable: 0,
  ...over,
});

describe('attribute definition rows', () => {
  it('decodes enumeration values stored as JSON text', () => {
    expect(attributeDefinitionOf(row({}))).toEqual({ scope: 'activity', name: 'tier', type: 'enum', enumValues: ['gold', 'silver'], maxLength: 20, searchable: false });
  });

  it('takes values the driver already decoded as they are', () => {
    expect(attributeDefinitionOf(row({ enum_values: ['gold'] })).enumValues).toEqual(['gold']);
  });

  it('reads a free string (NULL values) as no values, and the numeric columns as numbers and flags', () => {
    const d = attributeDefinitionOf(row({ type: 'string', enum_values: null, max_length: '255' as unknown as number, searchable: 1 }));
    expect(d).toMatchObject({ type: 'string', enumValues: [], maxLength: 255, searchable: true });
  });

  it('writes JSON for an enumeration and NULL for a free string, which reads back the same', () => {
    expect(enumValuesColumn('enum', ['a', 'b'])).toBe('["a","b"]');
    expect(enumValuesColumn('string', [])).toBeNull();
    expect(attributeDefinitionOf(row({ enum_values: enumValuesColumn('enum', ['a', 'b']) })).enumValues).toEqual(['a', 'b']);
  });
});
