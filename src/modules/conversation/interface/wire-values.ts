import { ValidateBy, type ValidationOptions } from 'class-validator';
import { codePointLength } from '../../../platform/http/character-length';
import { canonicalId } from '../../../platform/http/wire-id';

/** Ids travel as strings or numbers; accept both, as non-negative integers. */
export function IsWireId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isWireId',
    validator: {
      validate: (v: unknown) => canonicalId(v) !== undefined,
      defaultMessage: () => '$property must be an id (digits, as a string or a number)',
    },
  }, options);
}

/**
 * Whether the text of a number is the one the client wrote, as far as a double can tell: a
 * safe integer, or a fraction written without exponent. An integer past 2^53 has lost digits
 * (9007199254740993 reads as 9007199254740992, so two customers' ids would be one), and one
 * from 1e21 or a fraction below 1e-6 reads back with an exponent the client did not write.
 */
function exactNumber(v: number): boolean {
  return Number.isSafeInteger(v) || (Number.isFinite(v) && !Number.isInteger(v) && !String(v).includes('e'));
}

/**
 * A text value as JSON and XML carry it: a string, or a number/boolean a JSON client sent
 * unquoted (a number only as long as it reads back as written, `exactNumber`). Without
 * `maxLength`, the length is a rule of the command, with its own error code;
 * with it, characters are counted as code points, as the columns count them (an emoji is one).
 */
export function IsWireText(maxLength = Infinity, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isWireText',
    // Read back by the OpenAPI document, which states the bound.
    constraints: [maxLength],
    validator: {
      validate: (v: unknown) =>
        (typeof v === 'string' && (v.length <= maxLength || codePointLength(v) <= maxLength)) || (typeof v === 'number' && exactNumber(v)) || typeof v === 'boolean',
      // A list or an object is not text, whatever its length; only text can be too long.
      defaultMessage: (args) =>
        typeof args?.value === 'string'
          ? `$property must be at most ${maxLength} characters`
          : typeof args?.value === 'number'
            ? '$property must be text: a number this large or small does not keep its digits, send it as a string'
            : '$property must be text',
    },
  }, options);
}

export const wireText = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** An id in canonical form (`"01001"` and `1001` are both `"1001"`), so answers repeat the stored id. */
export const wireId = (v: string | number): string => canonicalId(v) ?? String(v);
