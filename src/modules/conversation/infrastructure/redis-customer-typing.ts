import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { OutageLog } from '../../../platform/logging/outage-log';
import { CustomerTyping } from '../application/customer-typing';

/** A call waits at most this long for Redis before it goes on without the typing state. */
export const CUSTOMER_TYPING_TIMEOUT_MS = 500;

/** After Redis failed, the typing state is not asked for this long, so that a hung Redis costs one call its timeout per interval. */
export const CUSTOMER_TYPING_RETRY_INTERVAL_MS = 1000;

/**
 * The customer's typing in Redis, shared by every api process on the same Redis and REDIS_PREFIX:
 * one key per conversation typing (`<REDIS_PREFIX>:customer-typing:<conversation id>`), holding
 * the start's time (epoch ms) and expiring CUSTOMER_TYPING_TTL_MS after the last startTyping.
 *
 * While Redis cannot be reached nothing is kept and nothing shown, as for the throttles a Redis
 * outage stops no send: a start is dropped, a stop too (its key, if any, expires by itself), a
 * reading shows no typing. The outage is logged once at warn and the return at info.
 */
export class RedisCustomerTyping extends CustomerTyping implements OnApplicationShutdown {
  private readonly log = new Logger('CustomerTyping');
  private readonly outage = new OutageLog(this.log, {
    down: "Redis unreachable: the customer's typing is neither kept nor shown to agents until it answers again",
    back: "the customer's typing is kept in Redis again",
  });
  /** Before this time (epoch ms) Redis is not asked. */
  private skipUntil = 0;

  /** Without the offline queue a call fails at once while Redis is away instead of waiting for the reconnection. */
  static connect(options: { host: string; port: number; keyPrefix: string; ttlMs: number }): RedisCustomerTyping {
    const { ttlMs, ...connection } = options;
    const redis = new Redis({ ...connection, enableOfflineQueue: false, commandTimeout: CUSTOMER_TYPING_TIMEOUT_MS, maxRetriesPerRequest: 1, enableReadyCheck: false });
    const logger = new Logger('CustomerTyping');
    // The outage is logged once by the store; the connection's own errors repeat at every reconnection.
    redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'customer typing connection error'));
    return new RedisCustomerTyping(redis, ttlMs);
  }

  constructor(private readonly redis: Redis, private readonly ttlMs: number) {
    super();
  }

  async started(conversationId: string, at: Date): Promise<void> {
    // NX keeps the first start's time; PEXPIRE extends the bound at every start, in one round trip.
    await this.attempt(undefined, () => this.redis.multi().set(conversationId, String(at.getTime()), 'PX', this.ttlMs, 'NX').pexpire(conversationId, this.ttlMs).exec());
  }

  async stopped(conversationId: string): Promise<void> {
    await this.attempt(undefined, () => this.redis.del(conversationId));
  }

  async typingSince(conversationIds: readonly string[]): Promise<Map<string, Date>> {
    const typing = new Map<string, Date>();
    if (conversationIds.length === 0) return typing;
    const values = await this.attempt<(string | null)[]>([], () => this.redis.mget(...conversationIds));
    values.forEach((value, i) => {
      const since = value === null ? NaN : Number(value);
      if (Number.isFinite(since)) typing.set(conversationIds[i], new Date(since));
    });
    return typing;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  private async attempt<T>(otherwise: T, call: () => Promise<unknown>): Promise<T> {
    if (Date.now() < this.skipUntil) return otherwise;
    try {
      const answer = (await call()) as T;
      this.outage.answered();
      return answer;
    } catch (err) {
      this.skipUntil = Date.now() + CUSTOMER_TYPING_RETRY_INTERVAL_MS;
      this.outage.failed(err);
      return otherwise;
    }
  }
}
