/**
 * The most characters of a caller's value an error repeats: more than any id (a UUID is 36,
 * a numeric id at most 19) or parameter name of the API, so a real value is repeated whole.
 */
export const ECHOED_VALUE_MAX_CHARACTERS = 64;

/**
 * A value from the request as an error message or its details may repeat it. A path or a
 * query string can be kilobytes long, and the message goes into every format of the answer,
 * its localized text and the log: a longer value is cut after
 * ECHOED_VALUE_MAX_CHARACTERS characters (never inside a character) and ends with "…".
 */
export function echoed(value: string): string {
  if (value.length <= ECHOED_VALUE_MAX_CHARACTERS) return value;
  const characters = Array.from(value.slice(0, 2 * ECHOED_VALUE_MAX_CHARACTERS + 2));
  return characters.length <= ECHOED_VALUE_MAX_CHARACTERS ? value : `${characters.slice(0, ECHOED_VALUE_MAX_CHARACTERS).join('')}…`;
}
