import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { preparedQuery } from '../database/prepared-query';
import { isDuplicateKey, retryOnConflict } from '../database/transaction-retry';

export type Begin =
  | { kind: 'new'; owner: Buffer }
  | { kind: 'replay'; statusCode: number; response: unknown }
  | { kind: 'in-progress' }
  | { kind: 'mismatch' };

const RETENTION_HOURS = 24;
/** Records deleted per statement by purgeExpired. */
const PURGE_BATCH = 10_000;
/** Bytes of a claim's owner token. */
const OWNER_BYTES = 16;
/** The claim of one request (parameters: scope, key, owner), while it runs. */
const OWN_CLAIM = "scope = ? AND idempotency_key = ? AND owner = ? AND state = 'in_progress'";
const COMPLETE = `UPDATE idempotency_record SET state = 'completed', status_code = ?, response = ? WHERE ${OWN_CLAIM}`;

/**
 * Remembers, per caller and Idempotency-Key, the request's hash and, once it succeeded,
 * its response. The claim is taken outside the request's own transaction, before the work, so
 * that a retry sees it at once; the response is recorded in the work's transaction where the
 * work allows it (completeWithin), else after it (complete).
 *
 * Each claim carries an owner token, drawn when it is taken: a request refreshes, frees and
 * completes only its own claim. A request whose claim went stale may still be running when a
 * retry takes the key over; by key alone, its release freed the retry's claim while that retry
 * ran, so a third retry ran the same work beside it.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims the key, or says why not. Parallel retries that free a stale or expired record and
   * claim it again can deadlock each other (the DELETE's and the duplicate INSERT's locks); the
   * loser starts over rather than answering 500.
   */
  async begin(scope: string, key: string, requestHash: Buffer, lockSeconds: number): Promise<Begin> {
    return retryOnConflict(() => this.tryBegin(scope, key, requestHash, lockSeconds));
  }

  private async tryBegin(scope: string, key: string, requestHash: Buffer, lockSeconds: number): Promise<Begin> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner = randomBytes(OWNER_BYTES);
      try {
        await this.db.query(
          "INSERT INTO idempotency_record (scope, idempotency_key, request_hash, owner, state, created_at) VALUES (?, ?, ?, ?, 'in_progress', NOW(3))",
          [scope, key, requestHash, owner],
        );
        return { kind: 'new', owner };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const rows: { request_hash: Buffer; state: 'in_progress' | 'completed'; status_code: number | null; response: unknown; expired: number; stale: number }[] =
        await this.db.query(
          `SELECT request_hash, state, status_code, response,
                  created_at < NOW(3) - INTERVAL ? HOUR AS expired,
                  created_at < NOW(3) - INTERVAL ? SECOND AS stale
             FROM idempotency_record WHERE scope = ? AND idempotency_key = ?`,
          [RETENTION_HOURS, lockSeconds, scope, key],
        );
      if (rows.length === 0) continue; // released meanwhile: claim again
      const row = rows[0];
      if (Number(row.expired) === 1 || (row.state === 'in_progress' && Number(row.stale) === 1)) {
        // An expired key is free again; so is a claim whose request died without finishing.
        // The condition is evaluated again by the DELETE: a parallel retry may have freed the key
        // and claimed it anew since the SELECT, and that fresh claim (the same request, so the
        // same hash and state) must not be deleted, or both retries would do the work.
        await this.db.query(
          `DELETE FROM idempotency_record WHERE scope = ? AND idempotency_key = ?
              AND (created_at < NOW(3) - INTERVAL ? HOUR OR (state = 'in_progress' AND created_at < NOW(3) - INTERVAL ? SECOND))`,
          [scope, key, RETENTION_HOURS, lockSeconds],
        );
        continue;
      }
      // Before the state: another request under a key still running is never taken either, and
      // answered as in progress (409, Retry-After) its client would retry it only to be refused.
      if (!Buffer.from(row.request_hash).equals(requestHash)) return { kind: 'mismatch' };
      if (row.state === 'in_progress') return { kind: 'in-progress' };
      const response = typeof row.response === 'string' ? JSON.parse(row.response) : row.response;
      return { kind: 'replay', statusCode: Number(row.status_code), response };
    }
    return { kind: 'in-progress' };
  }

  /** Records the response of `owner`'s claim after its work; false when the claim is no longer its own. */
  async complete(scope: string, key: string, owner: Buffer, statusCode: number, response: unknown): Promise<boolean> {
    const result: { affectedRows: number } = await this.db.query(COMPLETE, [statusCode, JSON.stringify(response ?? null), scope, key, owner]);
    return result.affectedRows === 1;
  }

  /**
   * Records the response in the transaction of `manager`: it then commits with the work, or not
   * at all. False when the claim is no longer `owner`'s: a retry took it over as stale (this
   * request could not refresh it for LOCK_SECONDS), whether that retry still runs, has done the
   * work or failed and freed the key, and whatever request (hash) it holds the key for. Only
   * the holder of a claim can complete it: of a request and a retry that took its claim over,
   * only the retry's work commits.
   */
  async completeWithin(manager: EntityManager, scope: string, key: string, owner: Buffer, statusCode: number, response: unknown): Promise<boolean> {
    const result = await preparedQuery<{ affectedRows: number }>(manager, COMPLETE, [statusCode, JSON.stringify(response ?? null), scope, key, owner]);
    return result.affectedRows === 1;
  }

  /**
   * Keeps a running request's claim fresh, so that a claim goes stale only when its request
   * died: a request may run longer than the claim's lock time (a lock wait, a slow disk), and a
   * retry must not start the same work a second time meanwhile. False when the claim is no
   * longer the request's (a retry took it over once it went stale): nothing is refreshed.
   */
  async touch(scope: string, key: string, owner: Buffer): Promise<boolean> {
    // The connection counts matched rows (FOUND_ROWS), so a refresh within the claim's millisecond still counts.
    const result: { affectedRows: number } = await this.db.query(`UPDATE idempotency_record SET created_at = NOW(3) WHERE ${OWN_CLAIM}`, [scope, key, owner]);
    return result.affectedRows === 1;
  }

  /**
   * A failed request frees its key, so the client may retry it with the same key; a claim a
   * retry took over is that retry's, and stays.
   */
  async release(scope: string, key: string, owner: Buffer): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_record WHERE ${OWN_CLAIM}`, [scope, key, owner]);
  }

  /**
   * Deletes every record past its retention, in batches so that no statement holds its locks
   * for long; one batch per run let the table grow without end as soon as more keys came in
   * between two runs than a batch holds (10,000 per 15 minutes is 11 keyed requests a second).
   */
  async purgeExpired(): Promise<void> {
    for (;;) {
      const result: { affectedRows: number } = await this.db.query('DELETE FROM idempotency_record WHERE created_at < NOW(3) - INTERVAL ? HOUR LIMIT ?', [
        RETENTION_HOURS,
        PURGE_BATCH,
      ]);
      if (result.affectedRows < PURGE_BATCH) return;
    }
  }
}
