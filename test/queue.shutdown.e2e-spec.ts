import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Bull, { type Queue } from 'bull';
import Redis from 'ioredis';
import { QueueDispatcher } from '../src/platform/outbox/queue-dispatcher';
import { QueueShutdown } from '../src/platform/queue/queue-shutdown';
import { waitFor } from './support/stack';

const REDIS_HOST = process.env.REDIS_HOST ?? '127.0.0.1';
const REDIS_PORT = Number(process.env.REDIS_PORT ?? 6379);

/**
 * QueueShutdown on real Bull queues in the shared Redis, under a key prefix of their own. A
 * worker's queue waits for jobs in BRPOPLPUSH on its blocking connection, and Bull's close()
 * sends QUIT there: Redis answers it only once the read ends, so Bull used to give up after
 * 500 ms and drop the connection, on every stop.
 */
describe('QueueShutdown on Bull queues', () => {
  const prefix = `e2e:queue-shutdown-${process.pid}-${randomBytes(4).toString('hex')}`;
  const opened: Queue[] = [];
  let admin: Redis;

  const queue = (name: string): Queue => {
    const q = new Bull(name, { prefix, redis: { host: REDIS_HOST, port: REDIS_PORT, maxRetriesPerRequest: null, enableReadyCheck: false } });
    opened.push(q);
    return q;
  };

  /** Whether Redis holds the queue's blocking connection (Bull names it after the queue) in a read. */
  const blocked = async (q: Queue): Promise<boolean> => {
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'));
    const name = `${prefix}:${Buffer.from(q.name).toString('base64')}`;
    return list.split('\n').some((line) => line.includes(` name=${name} `) && / flags=\w*b/.test(line));
  };

  /** Each QUIT Bull sends on the blocking connection: 'OK' when Redis answered it, the error when the connection was dropped under it. */
  const recordQuits = (q: Queue, outcomes: Promise<string>[]): void => {
    const bclient = (q as unknown as { bclient: Redis }).bclient;
    const quit = bclient.quit.bind(bclient);
    bclient.quit = (() => {
      const sent = quit();
      outcomes.push(sent.then(String, (err: Error) => `dropped: ${err.message}`));
      return sent;
    }) as Redis['quit'];
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    admin = new Redis({ host: REDIS_HOST, port: REDIS_PORT });
  });

  afterAll(async () => {
    await Promise.all(opened.map((q) => q.close().catch(() => undefined)));
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    admin.disconnect();
  });

  it('ends the reads so the QUIT is answered, and still waits for the job in progress', async () => {
    const busy = queue('busy');
    const idle = queue('idle');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const started = new Promise<void>((resolve) => (taken = resolve));
    let finished = false;
    // Several loops per queue, as in the worker: those without a job queue their reads on the one connection.
    void busy.process(3, async () => {
      taken();
      await held;
      finished = true;
      return 'done';
    });
    void idle.process(2, async () => 'unused');
    await busy.add({}, { jobId: 'held' });
    await started;
    await waitFor(async () => (await blocked(busy)) && (await blocked(idle)));

    const quits: Promise<string>[] = [];
    recordQuits(busy, quits);
    recordQuits(idle, quits);
    let closed = false;
    const stopping = new QueueShutdown(new QueueDispatcher(busy, idle)).beforeApplicationShutdown().then(() => (closed = true));

    // Both queues have sent their first QUIT and had it answered or dropped.
    await waitFor(async () => quits.length >= 2);
    const first = await Promise.all(quits.slice(0, 2));
    expect({ closed, finished }).toEqual({ closed: false, finished: false });
    release();
    await stopping;
    expect(finished).toBe(true);
    expect(await (await queue('busy').getJob('held'))?.getState()).toBe('completed');
    // Before: the first QUIT of each queue dropped after Bull's 500 ms ("Connection is closed.").
    expect(first).toEqual(['OK', 'OK']);
    expect(await Promise.all(quits)).toEqual(quits.map(() => 'OK'));
  });

  it('loses no job added as the queue closes: it has run, or it still waits for the next worker', async () => {
    for (let round = 0; round < 5; round++) {
      const q = queue(`arriving-${round}`);
      const ran: string[] = [];
      void q.process(2, async (job) => void ran.push(String(job.id)));
      await waitFor(() => blocked(q));
      const producer = queue(`arriving-${round}`);
      const [added] = await Promise.all([producer.add({}, { jobId: 'late' }), new QueueShutdown(new QueueDispatcher(q, queue(`adding-only-${round}`))).beforeApplicationShutdown()]);
      const state = await added.getState();
      expect(state === 'completed' ? ran : state).toEqual(state === 'completed' ? ['late'] : 'waiting');
    }
  });
});
