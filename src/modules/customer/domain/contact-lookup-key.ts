import { createHash } from 'node:crypto';
import { normalizeContactValue } from './contact-attribute';

/** The most characters (code points) a stored lookup key may have: `contact_point.normalized_value` is VARCHAR(255). */
export const LOOKUP_KEY_MAX_LENGTH = 255;

/** Marks a key that is a digest of the normalized value rather than the value itself. */
export const LOOKUP_KEY_DIGEST_PREFIX = 'sha256:';

/**
 * The key a contact point is stored under and searched by: the one function both the
 * writes and the searches of `contact_point.normalized_value` use.
 *
 * Usually it is the normalized value itself. Normalization can make a value longer than
 * it came (NFC turns U+0958 into two code points, lower-casing `İ` gives `i` and a
 * combining dot), and searchable custom attributes may be up to 4000 characters, so a
 * normalized value may not fit the column. Such a value, and any value that already
 * begins with the digest prefix, is keyed by `sha256:` and the SHA-256 (hex) of its
 * UTF-8 form instead. Distinct normalized values therefore never share a key: a short
 * value is its own key, and it cannot look like a digest key because those are digested
 * too. Cutting values to the column width would merge identifiers that differ only after
 * their 255th character.
 */
export function contactLookupKey(attribute: string, value: string): string {
  return lookupKeyOf(normalizeContactValue(attribute, value));
}

/** The key of a value already normalized: itself, or its digest (above). */
export function lookupKeyOf(normalized: string): string {
  // UTF-16 length bounds the code points from above: most values need no count of their own.
  const fits = normalized.length <= LOOKUP_KEY_MAX_LENGTH || [...normalized].length <= LOOKUP_KEY_MAX_LENGTH;
  if (fits && !normalized.startsWith(LOOKUP_KEY_DIGEST_PREFIX)) return normalized;
  return LOOKUP_KEY_DIGEST_PREFIX + createHash('sha256').update(normalized, 'utf8').digest('hex');
}
