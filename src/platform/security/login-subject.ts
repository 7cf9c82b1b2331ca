import { createHash } from 'node:crypto';
import { withoutTrailing } from '../text/text-ends';

/**
 * A user name or client key as the logs and the login throttle's counters name it: the base64url
 * SHA-256 of the name with trailing spaces removed (the database compares names with them ignored,
 * so "alice " is "alice"). Never the name itself: a user name may be a person's e-mail address,
 * someone who types a password (or a client secret into the key) would have it logged, and a name is
 * read before the request is validated, so it can be as long as a body. The same digest in the
 * log lines and the Redis keys lets an operator follow one name through both.
 */
export function loginSubjectDigest(subject: string): string {
  return createHash('sha256').update(withoutTrailing(subject, ' ')).digest('base64url');
}
