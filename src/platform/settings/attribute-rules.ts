/**
 * Characters a free-string custom attribute value may hold: a-z A-Z 0-9, space,
 * @ : . _ - & , ( ) ? # = ' " and every character above code point 127 but U+FFFE and
 * U+FFFF, which XML answers and callbacks cannot carry.
 * The one definition of the set; validators and tests import it.
 */
export const ALLOWED_ATTRIBUTE_VALUE = /^[A-Za-z0-9 @:._\-&,()?#='"\u0080-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export type AttributeScope = 'activity' | 'contact';

export interface AttributeDefinition {
  scope: AttributeScope;
  name: string;
  type: 'string' | 'enum';
  enumValues: readonly string[];
  maxLength: number;
  searchable: boolean;
}

export type AttributeViolation = 'ValueNotAllowed' | 'InvalidCharacters' | 'TooLong';

/** Checks one value against its definition; `undefined` means it is acceptable. */
export function checkAttributeValue(definition: AttributeDefinition, value: string): AttributeViolation | undefined {
  if (definition.type === 'enum') return definition.enumValues.includes(value) ? undefined : 'ValueNotAllowed';
  if (!ALLOWED_ATTRIBUTE_VALUE.test(value)) return 'InvalidCharacters';
  if ([...value].length > definition.maxLength) return 'TooLong';
  return undefined;
}
