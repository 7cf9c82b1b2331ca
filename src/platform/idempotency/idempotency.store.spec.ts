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

describe('IdempotencyStore', () => {
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
