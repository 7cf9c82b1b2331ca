import type { QueryRunner } from 'typeorm';
import { isDuplicateKey } from '../platform/database/transaction-retry';

/** A stored contact point as the re-keying migrations read it. */
export interface StoredContactPoint {
  id: string;
  attribute: string;
  value: string;
  normalized_value: string;
}

/**
 * Gives a stored contact point a new lookup key, for the migrations that change how keys are
 * made. A key that another lookup-key row of the same scope already holds (one customer created
 * per spelling of one value) is left as it was: that customer is no longer found by the value,
 * the other one is.
 */
export async function setContactPointKey(q: QueryRunner, row: { id: string; normalized_value: string }, key: string): Promise<void> {
  if (key === row.normalized_value) return;
  try {
    await q.query('UPDATE contact_point SET normalized_value = ? WHERE id = ?', [key, row.id]);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
