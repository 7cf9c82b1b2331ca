import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOOKUP_KEY_DIGEST_PREFIX, contactLookupKey } from '../modules/customer/domain/contact-lookup-key';
import { type StoredContactPoint, setContactPointKey } from './contact-point-key';

const SOCIALS = ['social.facebookId', 'social.twitterId', 'social.instagramId'];

/**
 * A social id's lookup key leaves out the '@' a handle is often written with (`@ada_l` is
 * `ada_l`). The keys that can change, those beginning with '@' and the digests of long ids,
 * are recomputed from the id as given (`contact_point.value` holds it whole). A key that
 * another customer's lookup-key row of the same scope already holds (one customer created
 * per spelling of one handle) is left as it was: that customer is no longer found by the
 * handle, the other one is.
 */
export class SocialHandleLookupKey1765300000003 implements MigrationInterface {
  name = 'SocialHandleLookupKey1765300000003';

  async up(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q, '@%')) await setContactPointKey(q, row, contactLookupKey(row.attribute, row.value));
  }

  /** Back to the id with its '@'. */
  async down(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q, '%')) {
      if (row.value.trim().startsWith('@') && !row.normalized_value.startsWith(LOOKUP_KEY_DIGEST_PREFIX)) await setContactPointKey(q, row, row.value.trim().normalize('NFC').toLowerCase());
    }
  }
}

async function affectedRows(q: QueryRunner, keyPattern: string): Promise<StoredContactPoint[]> {
  return q.query(
    `SELECT id, attribute, value, normalized_value FROM contact_point
      WHERE attribute IN (${SOCIALS.map(() => '?').join(', ')}) AND (normalized_value LIKE ? OR normalized_value LIKE ?)`,
    [...SOCIALS, keyPattern, `${LOOKUP_KEY_DIGEST_PREFIX}%`],
  );
}
