import type { DataSource, EntityManager } from 'typeorm';
import { IdempotencyStore } from './idempotency.store';

const HASH = Buffer.alloc(32, 7);

/** A database that takes every statement, and keeps each with its parameters. */
function recordingDb(affectedRows = 1) {
  const statements: { sql: string; params: unknown[] }[] = [];
  const query = jest.fn(async (sql: string, params: unknown[] = []) => {
    statements.push({ sql, params });
    return { affectedRows };
  });
  return { db: { query } as unknown as DataSource, statements };
}

type Recorded = { request_hash: Buffer; state: 'in_progress' | 'completed'; status_code: number | null; response: unknown; expired: number; stale: number };

/**
 * A database whose key is taken by `row`: the claim's INSERT is a duplicate until a DELETE has
 * freed the key, the SELECT finds `row`, and each DELETE is kept.
 */
function takenKeyDb(row: Recorded) {
  const deletes: { sql: string; params: unknown[] }[] = [];
  const query = jest.fn(async (sql: string, params: unknown[] = []) => {
    if (sql.startsWith('INSERT')) {
      if (deletes.length === 0) throw Object.assign(new Error('Duplicate entry'), { code: 'ER_DUP_ENTRY' });
      return { affectedRows: 1 };
    }
    if (sql.trimStart().startsWith('SELECT')) return [row];
    deletes.push({ sql, params });
    return { affectedRows: 1 };
  });
  return { db: { query } as unknown as DataSource, deletes };
}

const OTHER_HASH = Buffer.alloc(32, 8);
const running = (hash: Buffer): Recorded => ({ request_hash: hash, state: 'in_progress', status_code: null, response: null, expired: 0, stale: 0 });
const answered = (hash: Buffer, status: number, response: unknown): Recorded => ({ request_hash: hash, state: 'completed', status_code: status, response: JSON.stringify(response), expired: 0, stale: 0 });

describe('IdempotencyStore', () => {
  it('answers a key still running with the same request as in progress', async () => {
    await expect(new IdempotencyStore(takenKeyDb(running(HASH)).db).begin('client_application:1', 'k-1', HASH, 30)).resolves.toEqual({ kind: 'in-progress' });
  });

  // Another request under a key is the client's mistake whatever the first request's state:
  // 409 would have it retry a request that can never be taken, 422 tells it at once.
  it('answers another request under a key still running as a mismatch, not as in progress', async () => {
    await expect(new IdempotencyStore(takenKeyDb(running(OTHER_HASH)).db).begin('client_application:1', 'k-1', HASH, 30)).resolves.toEqual({ kind: 'mismatch' });
  });

  it('answers another request under an answered key as a mismatch', async () => {
    await expect(new IdempotencyStore(takenKeyDb(answered(OTHER_HASH, 200, {})).db).begin('client_application:1', 'k-1', HASH, 30)).resolves.toEqual({ kind: 'mismatch' });
  });

  it('replays the status and answer recorded, whatever the status', async () => {
    const { db, deletes } = takenKeyDb(answered(HASH, 201, { started: 'a1' }));
    await expect(new IdempotencyStore(db).begin('client_application:1', 'k-1', HASH, 30)).resolves.toEqual({ kind: 'replay', statusCode: 201, response: { started: 'a1' } });
    expect(deletes).toEqual([]);
  });

  it.each([
    ['an answered key past its retention', { ...answered(OTHER_HASH, 200, {}), expired: 1, stale: 1 }],
    ['a claim not refreshed within its lock time (its request died)', { ...running(OTHER_HASH), stale: 1 }],
  ])('frees %s and claims the key anew, deleting it only while it is still so', async (_, old) => {
    const { db, deletes } = takenKeyDb(old);
    expect((await new IdempotencyStore(db).begin('client_application:1', 'k-1', HASH, 30)).kind).toBe('new');
    expect(deletes).toHaveLength(1);
    for (const d of deletes) {
      expect(d.sql).toMatch(/AND \(created_at < NOW\(3\) - INTERVAL \? HOUR OR \(state = 'in_progress' AND created_at < NOW\(3\) - INTERVAL \? SECOND\)\)/);
      expect(d.params).toEqual(['client_application:1', 'k-1', 24, 30]);
    }
  });

  it('keeps an answered key within its retention, however long ago it was claimed', async () => {
    const { db, deletes } = takenKeyDb({ ...answered(HASH, 200, { a: 1 }), stale: 1 });
    await expect(new IdempotencyStore(db).begin('client_application:1', 'k-1', HASH, 30)).resolves.toEqual({ kind: 'replay', statusCode: 200, response: { a: 1 } });
    expect(deletes).toEqual([]);
  });

  it('purges in batches until one deletes fewer than a batch, only records past 24 h', async () => {
    const counts = [10_000, 10_000, 3];
    const statements: { sql: string; params: unknown[] }[] = [];
    const query = jest.fn(async (sql: string, params: unknown[]) => {
      statements.push({ sql, params });
      return { affectedRows: counts.shift() };
    });
    await new IdempotencyStore({ query } as unknown as DataSource).purgeExpired();
    expect(statements).toHaveLength(3);
    for (const st of statements) {
      expect(st.sql).toMatch(/WHERE created_at < NOW\(3\) - INTERVAL \? HOUR LIMIT \?$/);
      expect(st.params).toEqual([24, 10_000]);
    }
  });

  it('gives each claim an owner of its own, in the statement that takes it', async () => {
    const { db, statements } = recordingDb();
    const store = new IdempotencyStore(db);
    const first = await store.begin('client_application:1', 'k-1', HASH, 30);
    const second = await store.begin('client_application:1', 'k-2', HASH, 30);
    if (first.kind !== 'new' || second.kind !== 'new') throw new Error('expected both keys claimed');
    expect(first.owner).toHaveLength(16);
    expect(first.owner.equals(second.owner)).toBe(false);
    expect(statements).toHaveLength(2);
    expect(statements[0].sql).toMatch(/^INSERT INTO idempotency_record \(.*\bowner\b/);
    expect(statements[0].params).toContainEqual(first.owner);
  });

  // A request whose claim went stale and was taken over by a retry must leave that retry's
  // claim alone: freed, it let a third retry run the same work beside the one taking over.
  it.each([
    ['refreshes', (s: IdempotencyStore, owner: Buffer) => s.touch('client_application:1', 'k-1', owner)],
    ['frees', (s: IdempotencyStore, owner: Buffer) => s.release('client_application:1', 'k-1', owner)],
    ['completes', (s: IdempotencyStore, owner: Buffer) => s.complete('client_application:1', 'k-1', owner, 200, {})],
  ])('%s only the claim it owns', async (_, act) => {
    const { db, statements } = recordingDb();
    const owner = Buffer.alloc(16, 9);
    await act(new IdempotencyStore(db), owner);
    expect(statements).toHaveLength(1);
    expect(statements[0].sql).toMatch(/\bowner = \?/);
    expect(statements[0].sql).toMatch(/\bstate = 'in_progress'/);
    expect(statements[0].params).toContainEqual(owner);
  });

  it('completes within a transaction only the claim it owns, and says when the claim is gone', async () => {
    const query = jest.fn().mockResolvedValue({ affectedRows: 0 });
    const manager = { queryRunner: undefined, connection: { driver: {} }, query } as unknown as EntityManager;
    const owner = Buffer.alloc(16, 9);
    await expect(new IdempotencyStore(recordingDb().db).completeWithin(manager, 'client_application:1', 'k-1', owner, 200, {})).resolves.toBe(false);
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0][0]).toMatch(/\bowner = \?/);
    expect(query.mock.calls[0][1]).toContainEqual(owner);
  });

  it('says when a claim completed after its work is no longer its own', async () => {
    const { db } = recordingDb(0);
    await expect(new IdempotencyStore(db).complete('client_application:1', 'k-1', Buffer.alloc(16, 9), 200, {})).resolves.toBe(false);
  });

  it('says when a claim it refreshes is no longer its own', async () => {
    await expect(new IdempotencyStore(recordingDb(0).db).touch('client_application:1', 'k-1', Buffer.alloc(16, 9))).resolves.toBe(false);
    await expect(new IdempotencyStore(recordingDb(1).db).touch('client_application:1', 'k-1', Buffer.alloc(16, 9))).resolves.toBe(true);
  });
});
