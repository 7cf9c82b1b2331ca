import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOOKUP_KEY_DIGEST_PREFIX, contactLookupKey, lookupKeyOf } from '../modules/customer/domain/contact-lookup-key';
import { setContactPointKey } from './contact-point-key';

interface Row {
  id: string;
  value: string;
  normalized_value: string;
}

const EMAIL = 'email.emailAddress';

/**
 * An e-mail address's lookup key holds its internationalised domain in Unicode form
 * (`ada@xn--bcher-kva.example` is `ada@bücher.example`); it was only lower-cased. The keys
 * that can change are those holding a non-ASCII character or an `xn--` label, and the digests
 * of long addresses; each is recomputed from the address as given (`contact_point.value`
 * holds an address whole). A key that another customer's lookup-key row of the same scope
 * already holds (one customer created per spelling of one address) is left as it was: that
 * customer is no longer found by the address, the other one is.
 */
export class EmailDomainLookupKey1765300000001 implements MigrationInterface {
  name = 'EmailDomainLookupKey1765300000001';

  async up(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q)) await setContactPointKey(q, row, contactLookupKey(EMAIL, row.value));
  }

  /** Back to the lower-cased address. */
  async down(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q)) await setContactPointKey(q, row, lowerCasedKey(row.value));
  }
}

async function affectedRows(q: QueryRunner): Promise<Row[]> {
  return q.query(
    `SELECT id, value, normalized_value FROM contact_point
      WHERE attribute = ? AND (LENGTH(normalized_value) <> CHAR_LENGTH(normalized_value) OR normalized_value LIKE ? OR normalized_value LIKE ?)`,
    [EMAIL, '%xn--%', `${LOOKUP_KEY_DIGEST_PREFIX}%`],
  );
}

/** The key as it was made before: the address trimmed, NFC, lower-cased; digested when long. */
function lowerCasedKey(value: string): string {
  return lookupKeyOf(value.trim().normalize('NFC').toLowerCase());
}
