import type { MigrationInterface, QueryRunner } from 'typeorm';
import { customAttributeName, normalizeContactValue } from '../modules/customer/domain/contact-attribute';
import { LOOKUP_KEY_DIGEST_PREFIX, LOOKUP_KEY_MAX_LENGTH, contactLookupKey } from '../modules/customer/domain/contact-lookup-key';
import { type StoredContactPoint, setContactPointKey } from './contact-point-key';

interface Row extends StoredContactPoint {
  custom_attributes: string | { name: string; values: string[] }[] | null;
}

/**
 * `contact_point.normalized_value` holds the contact point's lookup key
 * (`contactLookupKey`): the normalized value, or `sha256:` and its digest when the
 * normalized value does not fit the column or looks like such a key.
 *
 * Before, the normalized value was cut to 255 characters when stored while searches used
 * it whole, so a customer whose identifier normalizes to more than 255 characters was
 * never found again (and its next start failed on the unique key). The rows that can be
 * affected are those whose stored value fills the column, and those that begin with the
 * digest prefix; their key is recomputed from the value as given: from the contact point
 * itself, or for a custom attribute from the customer's stored custom attributes, which
 * keep values whole. No schema change: a key never exceeds the column.
 */
export class ContactLookupKey1764700000000 implements MigrationInterface {
  name = 'ContactLookupKey1764700000000';

  async up(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q)) {
      // A key another row already holds can come only from values cut before they were stored
      // (a custom attribute the customer no longer lists): left as it was, the row is exactly as
      // findable as before.
      await setContactPointKey(q, row, contactLookupKey(row.attribute, valueAsGiven(row)));
    }
  }

  /** Back to the cut normalized value, for the rows that hold a digest. */
  async down(q: QueryRunner): Promise<void> {
    for (const row of await affectedRows(q)) {
      if (!row.normalized_value.startsWith(LOOKUP_KEY_DIGEST_PREFIX)) continue;
      await setContactPointKey(q, row, normalizeContactValue(row.attribute, valueAsGiven(row)).slice(0, LOOKUP_KEY_MAX_LENGTH));
    }
  }
}

async function affectedRows(q: QueryRunner): Promise<Row[]> {
  return q.query(
    `SELECT p.id, p.attribute, p.value, p.normalized_value, c.custom_attributes
       FROM contact_point p JOIN customer c ON c.id = p.customer_id
      WHERE CHAR_LENGTH(p.normalized_value) >= ? OR p.normalized_value LIKE ?`,
    [LOOKUP_KEY_MAX_LENGTH, `${LOOKUP_KEY_DIGEST_PREFIX}%`],
  );
}

/** The value as the request gave it; `contact_point.value` holds at most 255 characters of it. */
function valueAsGiven(row: Row): string {
  const name = customAttributeName(row.attribute);
  if (name === undefined || row.custom_attributes === null) return row.value;
  const attributes = typeof row.custom_attributes === 'string' ? (JSON.parse(row.custom_attributes) as Exclude<Row['custom_attributes'], string>) : row.custom_attributes;
  const values = (attributes ?? []).filter((a) => a.name === name).flatMap((a) => a.values);
  // Stored values were cut by UTF-16 units, and a pair split by the cut was stored as U+FFFD.
  const stored = row.value.endsWith('\uFFFD') ? row.value.slice(0, -1) : row.value;
  return values.find((v) => v === row.value) ?? values.find((v) => v.length > LOOKUP_KEY_MAX_LENGTH && v.startsWith(stored)) ?? row.value;
}
