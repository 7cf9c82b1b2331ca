/** An id as requests carry it: 1 to 19 digits (a string), or a non-negative integer (a JSON number). */
export const ID_PATTERN = /^\d{1,19}$/;

/**
 * The one form an id read from a request takes: digits without leading zeros, so `"01001"`,
 * `"1001"` and `1001` are all `"1001"` and compare, de-duplicate and echo as the stored id.
 * Anything that is not an id answers undefined, for the caller to refuse as it sees fit.
 */
export function canonicalId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return undefined;
  return value.replace(/^0+(?=\d)/, '');
}
