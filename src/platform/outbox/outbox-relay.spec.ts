import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { OutboxRelay, PRUNE_CHUNK } from './outbox-relay';
import type { QueueDispatcher } from './queue-dispatcher';

/** A database that answers the relay's statements from a list of due rows, recording each one. */
function fakeDatabase(due: { id: string; topic: string; job_id: string; payload: string }[], pruned: number[] = []) {
  const statements: string[] = [];
  const answer = (sql: string) => {
    statements.push(sql.replace(/\s+/g, ' ').trim());
    if (sql.startsWith('SELECT 1 FROM outbox')) return due.length ? [{ 1: 1 }] : [];
    if (sql.startsWith('SELECT id, topic')) return due;
    // Each prune deletes the next count of `pruned`, then none.
    if (sql.startsWith('DELETE FROM outbox')) return { affectedRows: pruned.shift() ?? 0 };
    return { affectedRows: due.length };
  };
  const tx = { query: jest.fn(async (sql: string) => answer(sql)) };
  const db = {
    query: jest.fn(async (sql: string) => answer(sql)),
    transaction: jest.fn(async (_isolation: string, work: (manager: typeof tx) => Promise<unknown>) => work(tx)),
    manager: { query: jest.fn() },
  };
  return { db, statements };
}

function relayWith(due: Parameters<typeof fakeDatabase>[0], connected = true, pruned: number[] = []) {
  const { db, statements } = fakeDatabase(due, pruned);
  const queues = { isConnected: jest.fn(() => connected), add: jest.fn(async () => undefined) };
  const config = { OUTBOX_POLL_INTERVAL_MS: 200, OUTBOX_RELAY_GRACE_MS: 1000 };
  const relay = new OutboxRelay(db as unknown as DataSource, queues as unknown as QueueDispatcher, config as AppConfig);
  return { relay, db, queues, statements };
}

describe('OutboxRelay', () => {
  it('ends a round with nothing due after one plain read, without opening a transaction', async () => {
    const { relay, db, queues, statements } = relayWith([]);
    await relay.relayOnce(); // the first round also prunes
    statements.length = 0;
    await expect(relay.relayOnce()).resolves.toBe(0);
    expect(statements).toEqual(['SELECT 1 FROM outbox WHERE relayed_at IS NULL AND created_at <= NOW(3) - INTERVAL ? MICROSECOND LIMIT 1']);
    expect(db.query).toHaveBeenCalledWith(expect.any(String), [1000 * 1000]);
    expect(db.transaction).not.toHaveBeenCalled();
    expect(queues.add).not.toHaveBeenCalled();
  });

  it('claims the due rows in a transaction, queues each under its job id and marks them relayed', async () => {
    const { relay, db, queues, statements } = relayWith([
      { id: '7', topic: 'assignment/assign-activity', job_id: 'assign:42', payload: '{"activityId":"42","correlationId":"c-1"}' },
    ]);
    await expect(relay.relayOnce()).resolves.toBe(1);
    expect(db.transaction).toHaveBeenCalledWith('READ COMMITTED', expect.any(Function));
    // Oldest first, a batch at a time: with a backlog of more than a batch (Redis back after an
    // outage) no row waits behind rows committed after it.
    expect(statements[1]).toMatch(/^SELECT id, topic, job_id, payload FROM outbox WHERE relayed_at IS NULL .* ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED$/);
    expect(queues.add).toHaveBeenCalledWith({ queue: 'assignment', jobName: 'assign-activity', jobId: 'assign:42', payload: { activityId: '42', correlationId: 'c-1' } }, expect.any(Number));
    expect(statements[2]).toBe('UPDATE outbox SET relayed_at = NOW(3) WHERE id IN (?)');
  });

  const prunes = (statements: string[]) => statements.filter((s) => s.startsWith('DELETE FROM outbox')).length;

  it('prunes relayed rows at its first round, then at every round while a prune deletes a full chunk', async () => {
    const { relay, db, statements } = relayWith([], true, [PRUNE_CHUNK, PRUNE_CHUNK, 3]);
    await relay.relayOnce();
    expect(statements).toContain('DELETE FROM outbox WHERE relayed_at IS NOT NULL AND relayed_at < NOW(3) - INTERVAL ? HOUR LIMIT ?');
    expect(db.query).toHaveBeenLastCalledWith(expect.stringMatching(/^DELETE FROM outbox/), [24, PRUNE_CHUNK]);
    await relay.relayOnce();
    await relay.relayOnce();
    expect(prunes(statements)).toBe(3);
    // The backlog is gone (the last prune found fewer than a chunk): no prune until round 1000.
    for (let round = 3; round < 1000; round++) await relay.relayOnce();
    expect(prunes(statements)).toBe(3);
    await relay.relayOnce();
    expect(prunes(statements)).toBe(4);
  });

  it('sends nothing to the database while a queue is disconnected', async () => {
    const { relay, db } = relayWith([{ id: '7', topic: 'assignment/assign-activity', job_id: 'assign:42', payload: '{}' }], false);
    await expect(relay.relayOnce()).resolves.toBe(0);
    expect(db.query).not.toHaveBeenCalled();
    expect(db.transaction).not.toHaveBeenCalled();
  });
});
