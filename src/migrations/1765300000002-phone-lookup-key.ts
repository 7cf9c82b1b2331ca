import type { MigrationInterface, QueryRunner } from 'typeorm';
import { contactLookupKey } from '../modules/customer/domain/contact-lookup-key';
import { type StoredContactPoint, setContactPointKey } from './contact-point-key';

const PHONES = ['home.phone', 'mobile.phone', 'office.phone'];

/**
 * A phone number in international form (`+`) is keyed by its E.164 form, so that the
 * national prefix written after the country code (`+44 (0)20 …`) is dropped where that
 * country drops it; it was only stripped of spaces and punctuation. The keys of the numbers
 * stored in international form are recomputed from the number as given (`contact_point.value`
 * holds it whole). A key that another customer's lookup-key row of the same scope already
 * holds (one customer created per spelling of one number) is left as it was: that customer
 * is no longer found by the number, the other one is.
 */
export class PhoneLookupKey1765300000002 implements MigrationInterface {
  name = 'PhoneLookupKey1765300000002';

  async up(q: QueryRunner): Promise<void> {
    for (const row of await internationalNumbers(q)) await setContactPointKey(q, row, contactLookupKey(row.attribute, row.value));
  }

  /** Back to the number without spaces and punctuation. */
  async down(q: QueryRunner): Promise<void> {
    for (const row of await internationalNumbers(q)) await setContactPointKey(q, row, row.value.trim().normalize('NFC').replace(/[\s().\-/]/g, ''));
  }
}

async function internationalNumbers(q: QueryRunner): Promise<StoredContactPoint[]> {
  return q.query(
    `SELECT id, attribute, value, normalized_value FROM contact_point WHERE attribute IN (${PHONES.map(() => '?').join(', ')}) AND normalized_value LIKE '+%'`,
    PHONES,
  );
}
