/**
 * The most characters of a caller's value an error repeats: more than any id (a UUID is 36,
 * a numeric id at most 19) or parameter name of the API, so a real value is repeated whole.
 */
export const ECHOED_VALUE_MAX_CHARACTERS = 64;

/** Header values are longer by nature (a browser's Accept is over 100 characters) and are repeated up to this. */
export const ECHOED_HEADER_MAX_CHARACTERS = 256;

/**
 * A value from the request as an error message or its details may repeat it. A path or a
 * query string can be kilobytes long, and the message goes into every format of the answer,
 * its localized text and the log: a longer value is cut after `max` characters (never
 * inside a character) and ends with "…".
 */
export function echoed(value: string, max = ECHOED_VALUE_MAX_CHARACTERS): string {
  if (value.length <= max) return value;
  const characters = Array.from(value.slice(0, 2 * max + 2));
  return characters.length <= max ? value : `${characters.slice(0, max).join('')}…`;
}

/** A request header's value as an error may repeat it (see `echoed`). */
export function echoedHeader(value: string | undefined): string {
  return value === undefined ? '(none)' : echoed(value, ECHOED_HEADER_MAX_CHARACTERS);
}

/**
 * A member path of a request body (`activity.customer.x`) as an error may repeat it: each
 * name is cut as `echoed` cuts a value, since an unknown member's name is the caller's and
 * bounded only by the body limit.
 */
export function echoedPath(path: string): string {
  return path.split('.').map((name) => echoed(name)).join('.');
}
