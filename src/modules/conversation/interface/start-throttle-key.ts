import { createHash } from 'node:crypto';
import { contactLookupKey } from '../../customer/domain';

/**
 * The customer a start is counted for by the per-customer throttle: the digest of the
 * identifier's lookup key, so that the same person written another way counts once, and so that
 * the key, which is logged when the limit is reached, holds no e-mail address or phone number.
 */
export function customerThrottleValue(searchAttribute: string, searchValue: string): string {
  return customerThrottleValueOfKey(contactLookupKey(searchAttribute, searchValue));
}

/** The same, from the identifier's lookup key already computed (a start's command holds it). */
export function customerThrottleValueOfKey(lookupKey: string): string {
  return createHash('sha256').update(lookupKey).digest('base64url');
}
