import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { OutageLog } from '../logging/outage-log';
import { CacheInvalidation } from './cache-invalidation';

interface Notice {
  scope: string;
  key?: string;
}

/**
 * Redis pub/sub on one channel per REDIS_PREFIX; connections open lazily on first use.
 *
 * Both connections retry every few hundred milliseconds while Redis is away, each attempt an
 * error: the outage is logged once when it starts and once when every connection is ready
 * again (OutageLog), as the queues and the throttles log theirs, rather than a line per attempt.
 */
@Injectable()
export class RedisCacheInvalidation extends CacheInvalidation implements OnApplicationShutdown {
  private readonly logger = new Logger('CacheInvalidation');
  private readonly outage = new OutageLog(this.logger, {
    down: 'Redis unreachable: cache changes are not announced to the other processes until it answers again; they catch up within the cache TTL',
    back: 'cache changes are announced through Redis again',
  });
  private readonly channel: string;
  private readonly handlers = new Map<string, ((key: string | undefined) => void)[]>();
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;

  constructor(private readonly config: AppConfig) {
    super();
    this.channel = `${config.REDIS_PREFIX}:cache-invalidation`;
  }

  publish(scope: string, key?: string): void {
    this.publisher ??= this.connect();
    this.publisher.publish(this.channel, JSON.stringify({ scope, key } satisfies Notice)).then(
      () => this.answeredIfReady(),
      (err: unknown) => {
        // A notice fails with its connection, whose outage is logged once; each notice lost in it is detail.
        this.outage.failed(err);
        this.logger.debug({ scope, key, err: (err as Error).message }, 'cache invalidation not published');
      },
    );
  }

  subscribe(scope: string, handler: (key: string | undefined) => void): void {
    const list = this.handlers.get(scope) ?? [];
    list.push(handler);
    this.handlers.set(scope, list);
    if (this.subscriber) return;
    this.subscriber = this.connect();
    this.subscriber.on('message', (_channel: string, raw: string) => this.deliver(raw));
    this.listen(this.subscriber);
  }

  /**
   * ioredis subscribes again after a reconnection only to the channels Redis once confirmed, so a
   * subscription refused while Redis was away (a process started without it) was never made and
   * the process missed every notice from then on; it is asked for again each time the connection
   * is ready, until Redis confirms it.
   */
  private listen(subscriber: Redis): void {
    let confirmed = false;
    let asking = false;
    const ask = (): void => {
      if (confirmed || asking) return;
      asking = true;
      subscriber.subscribe(this.channel).then(
        () => {
          confirmed = true;
          asking = false;
        },
        (err: unknown) => {
          asking = false;
          this.logger.warn({ err: (err as Error).message }, 'could not subscribe to cache invalidations; asked again once Redis answers');
        },
      );
    };
    subscriber.on('ready', ask);
    ask();
  }

  private deliver(raw: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(raw) as Notice;
    } catch {
      return;
    }
    for (const handler of this.handlers.get(notice.scope) ?? []) handler(notice.key ?? undefined);
  }

  private connect(): Redis {
    const redis = new Redis({ host: this.config.REDIS_HOST, port: this.config.REDIS_PORT, maxRetriesPerRequest: 1, enableReadyCheck: false });
    redis.on('error', (err: Error) => this.outage.failed(err));
    redis.on('ready', () => this.answeredIfReady());
    return redis;
  }

  /** Redis is back once every connection opened so far is ready (one not opened yet is not waited for). */
  private answeredIfReady(): void {
    if ([this.publisher, this.subscriber].every((c) => c === undefined || c.status === 'ready')) this.outage.answered();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const redis of [this.publisher, this.subscriber]) redis?.disconnect();
  }
}
