import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { Queue } from 'bull';
import { loggableError } from '../logging/loggable-error';
import type { QueueDispatcher } from '../outbox/queue-dispatcher';
import { QUEUE_ERROR_LOG_INTERVAL_MS, QueueConnectionsLog } from './queue-connections-log';

type FakeClient = EventEmitter & { status: string };
type FakeQueue = EventEmitter & { name: string; clients: FakeClient[]; closing?: Promise<void> };

describe('QueueConnectionsLog', () => {
  let warn: jest.SpyInstance;
  let info: jest.SpyInstance;
  let assignment: FakeQueue;
  let webhook: FakeQueue;

  const client = (): FakeClient => Object.assign(new EventEmitter(), { status: 'ready' });
  const queue = (name: string): FakeQueue => Object.assign(new EventEmitter(), { name, clients: [client(), client()] });
  const warnings = () => warn.mock.calls.map(([fields, message]) => ({ ...fields, message }));

  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    info = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    assignment = queue('assignment');
    webhook = queue('webhook');
    new QueueConnectionsLog({ all: () => [assignment, webhook] as unknown as Queue[] } as QueueDispatcher).onModuleInit();
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('logs an error of the queue itself, its connections answering, as a warning naming the queue and what failed', () => {
    const err = Object.assign(new Error('ERR Error running script (call to f_1234): @user_script:12: user_script:12: attempt to compare nil with number'), { code: 'ERR' });
    assignment.emit('error', err, 'Error processing job');
    expect(warnings()).toEqual([{ queue: 'assignment', what: 'Error processing job', err, message: 'queue error' }]);
    expect(info).not.toHaveBeenCalled();
  });

  it('hands the error to the logger as `err`, whose serializer masks the values it quotes', () => {
    const err = new Error("Duplicate entry 'ada@example.com' for key 'PRIMARY'");
    webhook.emit('error', err, 'Error processing job');
    expect(warnings()[0].err).toBe(err);
    expect(JSON.stringify(loggableError(warnings()[0].err))).not.toContain('ada@example.com');
  });

  it("logs a job's lock that could not be renewed with the job's id only, not its data", () => {
    const err = new Error('Missing lock for job assign:5004. extendLock');
    webhook.emit('lock-extension-failed', { id: 'callback:77', data: { customer: 'ada@example.com' } }, err);
    expect(warnings()).toEqual([{ queue: 'webhook', jobId: 'callback:77', err, message: "a job's lock could not be renewed: another worker may take the job as stalled and run it again" }]);
  });

  it('logs an error that repeats once per interval, with how many were left out, for each queue and kind apart', () => {
    for (let i = 0; i < 50; i++) assignment.emit('error', new Error(`failed ${i}`), 'Error processing job');
    assignment.emit('error', new Error('timer'), 'Error updating the delay timer');
    webhook.emit('error', new Error('webhook'), 'Error processing job');
    expect(warnings().map((w) => [w.queue, w.what, w.err.message, w.unlogged])).toEqual([
      ['assignment', 'Error processing job', 'failed 0', undefined],
      ['assignment', 'Error updating the delay timer', 'timer', undefined],
      ['webhook', 'Error processing job', 'webhook', undefined],
    ]);
    jest.advanceTimersByTime(QUEUE_ERROR_LOG_INTERVAL_MS - 1);
    assignment.emit('error', new Error('still'), 'Error processing job');
    expect(warn).toHaveBeenCalledTimes(3);
    jest.advanceTimersByTime(1);
    assignment.emit('error', new Error('later'), 'Error processing job');
    expect(warnings()[3]).toMatchObject({ queue: 'assignment', what: 'Error processing job', unlogged: 50 });
    expect(warnings()[3].err.message).toBe('later');
  });

  it('logs errors while a connection is retrying as one outage, not as errors of the queue', () => {
    assignment.clients[1].status = 'reconnecting';
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6379');
    for (let i = 0; i < 10; i++) assignment.emit('error', refused, i % 2 ? 'Error processing job' : undefined);
    assignment.emit('lock-extension-failed', { id: 'assign:1' }, refused);
    expect(warnings()).toEqual([{ err: refused.message, message: 'Redis unreachable: no job is added to or taken from the queues until it answers again' }]);
    assignment.clients[1].status = 'ready';
    assignment.clients[1].emit('ready');
    expect(info.mock.calls).toEqual([['the queues reach Redis again']]);
    assignment.emit('error', new Error('after'), 'Error processing job');
    expect(warnings()[1]).toMatchObject({ queue: 'assignment', what: 'Error processing job', message: 'queue error' });
  });

  it("takes a socket's error as the start of an outage, its connection still ready until the socket closes", () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    assignment.emit('error', reset);
    expect(warnings()).toEqual([{ err: 'read ECONNRESET', message: 'Redis unreachable: no job is added to or taken from the queues until it answers again' }]);
  });

  it('logs nothing for the errors of a queue that is closing', () => {
    assignment.closing = Promise.resolve();
    assignment.emit('error', new Error('Connection is closed.'), 'Error processing job');
    assignment.emit('lock-extension-failed', { id: 'assign:1' }, new Error('Connection is closed.'));
    assignment.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }));
    expect(warn).not.toHaveBeenCalled();
  });
});
