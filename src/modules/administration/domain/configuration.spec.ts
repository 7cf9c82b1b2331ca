import { checkAttributeDefinition } from './configuration';

const valid = { scope: 'activity' as const, type: 'enum' as const, enumValues: ['web', 'app'], maxLength: 8, searchable: false };

function fieldOf(change: Partial<typeof valid> & Record<string, unknown>): string | undefined {
  try {
    checkAttributeDefinition({ ...valid, ...change } as typeof valid);
    return undefined;
  } catch (err) {
    return (err as { details?: string }).details;
  }
}

describe('checkAttributeDefinition', () => {
  it('accepts an enumeration with distinct, allowed values within the maximum length', () => {
    expect(fieldOf({})).toBeUndefined();
    expect(fieldOf({ enumValues: ['été', 'a-b c'] })).toBeUndefined();
    expect(fieldOf({ enumValues: ['web', 'été'], maxLength: 3 })).toBeUndefined();
  });

  it('accepts a free string without values, searchable when it is a contact attribute', () => {
    expect(fieldOf({ type: 'string', enumValues: [], scope: 'contact', searchable: true } as never)).toBeUndefined();
  });

  it.each([
    ['an enumeration without values', { enumValues: [] }, 'enumValues'],
    ['repeated values', { enumValues: ['web', 'web'] }, 'enumValues'],
    ['a value longer than maxLength', { enumValues: ['website'], maxLength: 3 }, 'enumValues'],
    ['a value one character longer than maxLength', { enumValues: ['web', 'webs'], maxLength: 3 }, 'enumValues'],
    ['a value with a refused character', { enumValues: ['a<b'] }, 'enumValues'],
    ['an empty value', { enumValues: [''] }, 'enumValues'],
    ['a value holding U+FFFE', { enumValues: ['web\uFFFE'] }, 'enumValues'],
    ['a value holding U+FFFF', { enumValues: ['\uFFFF'] }, 'enumValues'],
    ['values on a free string', { type: 'string', enumValues: ['x'] }, 'enumValues'],
    ['a searchable activity attribute', { searchable: true }, 'searchable'],
  ])('refuses %s, naming the field', (_what, change, field) => {
    expect(fieldOf(change as never)).toBe(field);
  });
});
