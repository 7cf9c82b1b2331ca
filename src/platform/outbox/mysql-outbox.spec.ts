import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import type { DataSource } from 'typeorm';
import { ACK_FLUSH_MS, MysqlOutbox } from './mysql-outbox';
import type { StoredOutboxMessage } from './outbox';
import type { QueueDispatcher } from './queue-dispatcher';

const message = (id: string): StoredOutboxMessage => ({ id, queue: 'assignment', jobName: 'assign-activity', jobId: `assign:${id}`, payload: { activityId: id } });

/** Lets the adds' answers and the marks they lead to run. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function outboxWith(connected: boolean, add: () => Promise<void> = async () => undefined) {
  const db = { query: jest.fn(async () => ({ affectedRows: 1 })) };
  const queues = { isConnected: jest.fn(() => connected), add: jest.fn(add) };
  const outbox = new MysqlOutbox({} as TransactionHost<TransactionalAdapterTypeOrm>, db as unknown as DataSource, queues as unknown as QueueDispatcher);
  return { outbox, db, queues };
}

describe('MysqlOutbox fast path', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('adds nothing while the queue is disconnected, leaving the rows to the relay', async () => {
    const { outbox, db, queues } = outboxWith(false);
    outbox.dispatch([message('1')]);
    await settle();
    jest.advanceTimersByTime(ACK_FLUSH_MS);
    await settle();
    expect(queues.add).not.toHaveBeenCalled();
    expect(db.query).not.toHaveBeenCalled();
  });

  it('marks the rows it delivered relayed together, in one UPDATE per flush', async () => {
    const { outbox, db, queues } = outboxWith(true);
    outbox.dispatch([message('1'), message('2')]);
    outbox.dispatch([message('3')]);
    await settle();
    expect(queues.add).toHaveBeenCalledTimes(3);
    expect(db.query).not.toHaveBeenCalled();
    jest.advanceTimersByTime(ACK_FLUSH_MS);
    await settle();
    expect(db.query).toHaveBeenCalledTimes(1);
    expect(db.query).toHaveBeenCalledWith('UPDATE outbox SET relayed_at = NOW(3) WHERE id IN (?,?,?) AND relayed_at IS NULL', ['1', '2', '3']);
  });

  it('leaves a row whose add failed unmarked, for the relay', async () => {
    const { outbox, db } = outboxWith(true, async () => Promise.reject(new Error('Connection is closed.')));
    outbox.dispatch([message('1')]);
    await settle();
    jest.advanceTimersByTime(ACK_FLUSH_MS);
    await settle();
    expect(db.query).not.toHaveBeenCalled();
  });

  it('marks what it delivered when the process stops, before the database closes, so the relay does not deliver it again', async () => {
    const { outbox, db } = outboxWith(true);
    outbox.dispatch([message('7')]);
    await settle();
    await outbox.beforeApplicationShutdown();
    expect(db.query).toHaveBeenCalledWith(expect.stringMatching(/^UPDATE outbox SET relayed_at/), ['7']);
    jest.advanceTimersByTime(ACK_FLUSH_MS);
    await settle();
    expect(db.query).toHaveBeenCalledTimes(1);
  });

  it('marks at the stop a row whose add was still unanswered when the stop began', async () => {
    let answer = () => undefined as void;
    const { outbox, db } = outboxWith(true, () => new Promise<void>((resolve) => (answer = resolve)));
    outbox.dispatch([message('8')]);
    const stopped = outbox.beforeApplicationShutdown();
    await settle();
    answer();
    await stopped;
    expect(db.query).toHaveBeenCalledWith(expect.stringMatching(/^UPDATE outbox SET relayed_at/), ['8']);
  });
});
