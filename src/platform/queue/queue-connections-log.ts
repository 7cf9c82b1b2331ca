import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import type Redis from 'ioredis';
import { OutageLog } from '../logging/outage-log';
import { RepeatedWarnings } from '../logging/repeated-warnings';
import { QueueDispatcher } from '../outbox/queue-dispatcher';

/** ioredis statuses of a connection that is not trying to reach Redis: answering, not opened yet (lazy), or closed for good. */
const NOT_RETRYING: ReadonlySet<string> = new Set(['ready', 'wait', 'end']);

/**
 * At most one line per queue and kind of error in this time: Bull retries what failed every few
 * seconds (a job taken, the stalled-jobs check), and each worker's every job renews its lock.
 */
export const QUEUE_ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Logs the queues' Redis connections going and coming back, once per outage for all of them
 * (OutageLog), as the throttles log theirs. Bull forwards each connection's errors to its queue,
 * which drops them (a listener of its own keeps an unhandled `error` from ending the process), so
 * a Redis outage left no line in the api's or the worker's log. Each queue opens its connections
 * lazily (the worker's blocking one when it starts processing) and every one of them errors at
 * each reconnection attempt: the queue's errors say when Redis went, and Redis counts as back
 * once none of the queues' connections is retrying, as each says when it is ready again.
 *
 * The queue's other errors (a job that could not be taken or moved on, a script that failed, the
 * stalled-jobs check, a job's lock that could not be renewed, which Bull reports apart) were
 * dropped the same way: each is a warning naming the queue and what failed, with the error as
 * every line logs one (its quoted values masked, loggable-error.ts), at most one line per queue
 * and kind every QUEUE_ERROR_LOG_INTERVAL_MS.
 */
@Injectable()
export class QueueConnectionsLog implements OnModuleInit {
  private readonly outage = new OutageLog(new Logger('Queues'), {
    down: 'Redis unreachable: no job is added to or taken from the queues until it answers again',
    back: 'the queues reach Redis again',
  });
  private readonly errors = new RepeatedWarnings(new Logger('Queues'), QUEUE_ERROR_LOG_INTERVAL_MS);
  private readonly followed = new WeakSet<Redis>();

  constructor(private readonly queues: QueueDispatcher) {}

  onModuleInit(): void {
    for (const queue of this.queues.all()) {
      // Bull names what failed beside the error ('Error processing job'); a kind is that name, fixed in Bull's code.
      queue.on('error', (err: unknown, what?: unknown) => this.queueError(queue, err, typeof what === 'string' ? what : 'queue operation failed'));
      queue.on('lock-extension-failed', (job: Job | undefined, err: unknown) => {
        if (this.isQuiet(queue)) return;
        this.errors.warn(`${queue.name}\0lock`, { queue: queue.name, jobId: job?.id, err }, "a job's lock could not be renewed: another worker may take the job as stalled and run it again");
      });
    }
  }

  private queueError(queue: Queue, err: unknown, what: string): void {
    for (const client of this.clientsOf(queue)) this.follow(client);
    // The queue also emits errors of its own (a job's lock, a script): only a connection that is
    // retrying, or a socket's error (a connection lost is `ready` until its socket closes just
    // after), makes one an outage of Redis.
    if (this.isRetrying(queue) || (isSocketError(err) && !isClosing(queue))) this.outage.failed(err);
    else if (!isClosing(queue)) this.errors.warn(`${queue.name}\0${what}`, { queue: queue.name, what, err }, 'queue error');
  }

  /** During an outage an error is the outage's, logged once; while the queue closes, one of its connections closing. */
  private isQuiet(queue: Queue): boolean {
    return this.isRetrying(queue) || isClosing(queue);
  }

  private isRetrying(queue: Queue): boolean {
    return this.clientsOf(queue).some((client) => !NOT_RETRYING.has(client.status));
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

/** Node's errors of a socket (ECONNRESET, ECONNREFUSED, EPIPE…) name the call that failed. */
function isSocketError(err: unknown): boolean {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).syscall === 'string';
}

/** Bull's `closing` is set from the queue's close() on, as it waits for its jobs and disconnects. */
function isClosing(queue: Queue): boolean {
  return Boolean((queue as Queue & { closing?: unknown }).closing);
}
