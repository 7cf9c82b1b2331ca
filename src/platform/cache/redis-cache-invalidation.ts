import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { CacheInvalidation } from './cache-invalidation';

interface Notice {
  scope: string;
  key?: string;
}

/** Redis pub/sub on one channel per REDIS_PREFIX; connections open lazily on first use. */
@Injectable()
export class RedisCacheInvalidation extends CacheInvalidation implements OnApplicationShutdown {
  private readonly logger = new Logger('CacheInvalidation');
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
    this.publisher.publish(this.channel, JSON.stringify({ scope, key } satisfies Notice)).catch((err: unknown) => {
      this.logger.warn({ scope, key, err: (err as Error).message }, 'could not publish a cache invalidation; other processes catch up within the cache TTL');
    });
  }

  subscribe(scope: string, handler: (key: string | undefined) => void): void {
    const list = this.handlers.get(scope) ?? [];
    list.push(handler);
    this.handlers.set(scope, list);
    if (this.subscriber) return;
    this.subscriber = this.connect();
    this.subscriber.on('message', (_channel: string, raw: string) => this.deliver(raw));
    this.subscriber.subscribe(this.channel).catch((err: unknown) => this.logger.warn({ err: (err as Error).message }, 'could not subscribe to cache invalidations'));
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
    redis.on('error', (err: Error) => this.logger.debug({ err: err.message }, 'cache invalidation connection error'));
    return redis;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const redis of [this.publisher, this.subscriber]) redis?.disconnect();
  }
}
