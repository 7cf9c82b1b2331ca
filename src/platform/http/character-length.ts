import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * The length of a text as a utf8mb4 `VARCHAR(n)` counts it: in code points (an emoji is one).
 * class-validator's `Length` and `MaxLength` count as validator.js does, which leaves out
 * the variation selectors U+FE0E and U+FE0F: a name of 255 "characters" could hold 510 code
 * points and fail its column with an internal error.
 */
export function codePointLength(value: string): number {
  return [...value].length;
}

/** A string of `min` to `max` characters, counted as its column counts them (`codePointLength`). */
export function CharacterLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'characterLength',
    constraints: [min, max],
    validator: {
      validate: (v: unknown) => typeof v === 'string' && codePointLength(v) >= min && codePointLength(v) <= max,
      defaultMessage: (args) =>
        typeof args?.value === 'string' && codePointLength(args.value) < min
          ? `$property must be longer than or equal to ${min} characters`
          : `$property must be shorter than or equal to ${max} characters`,
    },
  }, options);
}

/** A string of at most `max` characters (code points). */
export const MaxCharacters = (max: number, options?: ValidationOptions): PropertyDecorator => CharacterLength(0, max, options);
