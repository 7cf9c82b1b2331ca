import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import type Redis from 'ioredis';
import { OutageLog } from '../logging/outage-log';
import { QueueDispatcher } from '../outbox/queue-dispatcher';

/** ioredis statuses of a connection that is not trying to reach Redis: answering, not opened yet (lazy), or closed for good. */
const NOT_RETRYING: ReadonlySet<string> = new Set(['ready', 'wait', 'end']);

/**
 * Logs the queues' Redis connections going and coming back, once per outage for all of them
 * (OutageLog), as the throttles log theirs. Bull forwards each connection's errors to its queue,
 * which drops them (a listener of its own keeps an unhandled `error` from ending the process), so
 * a Redis outage left no line in the api's or the worker's log. Each queue opens its connections
 * lazily (the worker's blocking one when it starts processing) and every one of them errors at
 * each reconnection attempt: the queue's errors say when Redis went, and Redis counts as back
 * once none of the queues' connections is retrying, as each says when it is ready again.
 */
@Injectable()
export class QueueConnectionsLog implements OnModuleInit {
  private readonly outage = new OutageLog(new Logger('Queues'), {
    down: 'Redis unreachable: no job is added to or taken from the queues until it answers again',
    back: 'the queues reach Redis again',
  });
  private readonly followed = new WeakSet<Redis>();

  constructor(private readonly queues: QueueDispatcher) {}

  onModuleInit(): void {
    for (const queue of this.queues.all()) queue.on('error', (err: unknown) => this.queueError(queue, err));
  }

  private queueError(queue: Queue, err: unknown): void {
    for (const client of this.clientsOf(queue)) this.follow(client);
    // The queue also emits errors of its own (a job's lock, a script): only a connection that is
    // retrying makes one an outage of Redis.
    if (this.clientsOf(queue).some((client) => !NOT_RETRYING.has(client.status))) this.outage.failed(err);
  }

  private follow(client: Redis): void {
    if (this.followed.has(client)) return;
    this.followed.add(client);
    client.on('ready', () => {
      if (this.queues.all().every((queue) => this.clientsOf(queue).every((c) => NOT_RETRYING.has(c.status)))) this.outage.answered();
    });
  }

  private clientsOf(queue: Queue): Redis[] {
    return queue.clients as unknown as Redis[];
  }
}
