import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
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

  const queue = (name: string, port = REDIS_PORT, drainDelay?: number): Queue => {
    const q = new Bull(name, { prefix, settings: { drainDelay }, redis: { host: REDIS_HOST, port, maxRetriesPerRequest: null, enableReadyCheck: false } });
    opened.push(q);
    return q;
  };

  /** Whether Redis holds the queue's blocking connection (named by Bull's clientName()) in a read. */
  const blocked = async (q: Queue): Promise<boolean> => {
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'));
    const name = (q as Queue & { clientName(): string }).clientName();
    return list.split('\n').some((line) => line.includes(` name=${name} `) && / flags=\w*b/.test(line));
  };

  /** A TCP relay to Redis: Redis sees the relay's address for every connection made through it, not the client's. */
  const relay = async (): Promise<{ port: number; close: () => Promise<void> }> => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((client) => {
      const upstream = connect(REDIS_PORT, REDIS_HOST);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined).on('close', () => (sockets.delete(socket), client.destroy(), upstream.destroy()));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const close = () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve())));
    return { port: (server.address() as AddressInfo).port, close };
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
    // Made before the handlers are set, as Nest makes every provider before the first onModuleInit.
    const shutdown = new QueueShutdown(new QueueDispatcher(busy, idle));
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
    const stopping = shutdown.beforeApplicationShutdown().then(() => (closed = true));

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
      const shutdown = new QueueShutdown(new QueueDispatcher(q, queue(`adding-only-${round}`)));
      void q.process(2, async (job) => void ran.push(String(job.id)));
      await waitFor(() => blocked(q));
      const producer = queue(`arriving-${round}`);
      const [added] = await Promise.all([producer.add({}, { jobId: 'late' }), shutdown.beforeApplicationShutdown()]);
      const state = await added.getState();
      expect(state === 'completed' ? ran : state).toEqual(state === 'completed' ? ['late'] : 'waiting');
    }
  });

  it("ends the reads of a worker whose address Redis sees otherwise (through a relay), and no other worker's", async () => {
    const through = await relay();
    try {
      const worker = queue('relayed', through.port);
      // Its reads wait a minute, so a read made again (ended by this stop) shows as a command within the second.
      const other = queue('relayed', through.port, 60);
      const shutdown = new QueueShutdown(new QueueDispatcher(worker, queue('relayed-adding-only', through.port)));
      new QueueShutdown(new QueueDispatcher(other, queue('relayed-adding-only', through.port)));
      void worker.process(2, async () => 'unused');
      void other.process(2, async () => 'unused');
      await waitFor(async () => (await blocked(worker)) && (await blocked(other)));
      // Named apart, they are still both the queue's workers, for the queue dashboard as for Bull.
      expect((await queue('relayed').getWorkers()).length).toBe(2);
      expect((await worker.getWorkers()).length).toBe(2);
      const quits: Promise<string>[] = [];
      recordQuits(worker, quits);
      const [otherId] = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'normal'))
        .split('\n')
        .filter((line) => line.includes(` name=${(other as Queue & { clientName(): string }).clientName()} `))
        .map((line) => /^id=(\d+)/.exec(line)?.[1]);
      const otherIdle = async () => Number(/ idle=(\d+)/.exec(String(await admin.call('CLIENT', 'LIST', 'ID', otherId!)))?.[1]);

      await shutdown.beforeApplicationShutdown();
      // Before: the address Bull's socket has (towards the relay) is not the one Redis lists, so no read was released and the QUIT was dropped after 500 ms.
      expect(await Promise.all(quits)).toEqual(quits.map(() => 'OK'));
      expect(await blocked(other)).toBe(true);
      // Its read was not ended (and made again at once): the connection has sent nothing since.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await otherIdle()).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(opened.map((q) => q.close().catch(() => undefined)));
      await through.close();
    }
  });
});
