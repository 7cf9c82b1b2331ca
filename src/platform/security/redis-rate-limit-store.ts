import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { NOTHING_COUNTED, scopeOf, type CountedHit, type RateLimit, type RateLimitRefusal, type RateLimitStore } from './rate-limiter';
import { SHARED_COUNTERS_TIMEOUT_MS, SharedCountersOutage } from './shared-counters-outage';

/**
 * The memory store's rules, applied to every key of a request in one round trip and atomically
 * (two processes cannot both take the last hit of a window). KEYS: one counter per limit;
 * ARGV: the limit and the window (ms) of each, in the order of KEYS. A missing key opens its
 * window at 0 even when the request is then refused, as in memory. Answers {0, 0, then the end
 * (epoch ms, PEXPIRETIME) of each window, in the order of KEYS} when every counter was
 * incremented, else {the 1-based limit whose window ends last, its Retry-After in s} and
 * increments none. A window's end names it: the window that counted a hit keeps its end, and a
 * window opened since (after the key expired, was evicted or deleted) has another unless it
 * opened in the same millisecond as the first. Redis before 7.0 has no PEXPIRETIME: the end is
 * then 0, unknown, and the hit cannot be given back.
 */
const HIT_ALL_SCRIPT = `
local refused, retryAfter = 0, 0
local ends = {0, 0}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i - 1])
  local window = tonumber(ARGV[2 * i])
  local ttl = redis.call('PTTL', key)
  local count = 0
  if ttl < 0 then
    redis.call('SET', key, 0, 'PX', window)
    ttl = window
  else
    count = tonumber(redis.call('GET', key)) or 0
  end
  local ends_at = redis.pcall('PEXPIRETIME', key)
  ends[i + 2] = type(ends_at) == 'number' and ends_at or 0
  if count >= limit then
    local seconds = math.max(1, math.ceil(ttl / 1000))
    if seconds > retryAfter then
      refused, retryAfter = i, seconds
    end
  end
end
if refused > 0 then
  return {refused, retryAfter}
end
for _, key in ipairs(KEYS) do
  redis.call('INCR', key)
end
return ends
`;

/**
 * Takes one hit back from each counter (KEYS) whose window is the one that counted it: the one
 * that still ends when it ended at the count (ARGV, in the order of KEYS). A key gone since, or
 * left without expiry (PEXPIRETIME -2, -1), is not the window that counted it and is not touched:
 * the give-back creates no key, and DECR keeps the expiry of the key it changes.
 */
const GIVE_BACK_SCRIPT = `
for i, key in ipairs(KEYS) do
  if redis.call('PEXPIRETIME', key) == tonumber(ARGV[i]) and (tonumber(redis.call('GET', key)) or 0) > 0 then
    redis.call('DECR', key)
  end
end
return 0
`;

/**
 * The Redis key of a limit's counter, below the store's prefix: the limit's name, a digest of its
 * scope between braces, and a digest of its key. The key names a customer by its identifier (an
 * e-mail address, a phone number), which is not written to Redis in clear; the digest also keeps
 * every key the same short length. The braces make the scope the key's hash tag, so that on Redis
 * Cluster the counters one script touches (those of one call, which share a scope) are in one
 * hash slot, as a script's keys must be. (Unless REDIS_PREFIX holds braces itself: its tag then
 * puts every counter in one slot, which holds too.)
 */
export function counterKey(limit: Pick<RateLimit, 'name' | 'key' | 'scope'>): string {
  return counterKeys([limit])[0];
}

/**
 * Scope digests kept across calls: a start's scope is its application, the same for every start
 * of it, and a SHA-256 is ~1.4 µs. Scopes are ids (an application, an agent, a conversation),
 * never a customer's identifier; the oldest of a full set is dropped.
 */
const SCOPE_DIGESTS_KEPT = 10_000;
const scopeDigests = new Map<string, string>();

function scopeDigest(scope: string): string {
  let hashed = scopeDigests.get(scope);
  if (hashed === undefined) {
    if (scopeDigests.size >= SCOPE_DIGESTS_KEPT) scopeDigests.delete(scopeDigests.keys().next().value!);
    scopeDigests.set(scope, (hashed = digest(scope)));
  }
  return hashed;
}

/**
 * The counterKey of each limit: a start's application id is both its application counter's key
 * and the scope of its two counters, and is hashed once, for its first start.
 */
export function counterKeys(limits: readonly Pick<RateLimit, 'name' | 'key' | 'scope'>[]): string[] {
  return limits.map((limit) => {
    const scope = scopeOf(limit);
    const tag = scopeDigest(scope);
    return `${limit.name}:{${tag}}:${limit.key === scope ? tag : digest(limit.key)}`;
  });
}

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

type ScriptedRedis = Redis & {
  rateLimitHitAll(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number[]>;
  rateLimitGiveBack(numKeys: number, ...keysThenArgs: (string | number)[]): Promise<number>;
};

/**
 * Counters in Redis, shared by every api process and host on the same Redis and REDIS_PREFIX:
 * together they grant the limit once. One EVALSHA per request over all of its keys, and one more
 * for a hit given back; each key expires with its window. While Redis cannot be reached, a hit
 * is not refused for it: this process counts on its own (the limits hold per process) until
 * Redis answers again, so that a Redis outage does not stop every start. It closes its
 * connection at shutdown.
 */
export class RedisRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly log = new Logger('RateLimiter');
  private readonly redis: ScriptedRedis;
  private readonly outage = new SharedCountersOutage(this.log, {
    down: 'Redis unreachable: the start and sendmessage throttles count in this process alone until it answers again',
    back: 'start and sendmessage throttles count in Redis again, shared by every api process',
  });

  /**
   * Its own connection, opened as the login throttle's (whose connection carries the login
   * counters' key prefix). Without the offline queue a hit fails over at once while Redis is
   * away instead of waiting for the reconnection; the timeout covers a Redis that hangs.
   */
  static connect(options: { host: string; port: number; keyPrefix: string }): RedisRateLimitStore {
    const redis = new Redis({ ...options, enableOfflineQueue: false, commandTimeout: SHARED_COUNTERS_TIMEOUT_MS, maxRetriesPerRequest: 1, enableReadyCheck: false });
    const logger = new Logger('RateLimiter');
    // The store logs the outage once; the connection's own errors repeat at every reconnection.
    redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'rate limiter connection error'));
    return new RedisRateLimitStore(redis);
  }

  constructor(redis: Redis, private readonly local: RateLimitStore = new MemoryRateLimitStore()) {
    redis.defineCommand('rateLimitHitAll', { lua: HIT_ALL_SCRIPT });
    redis.defineCommand('rateLimitGiveBack', { lua: GIVE_BACK_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  /** A hit counted in this process while Redis was away is given back here too, wherever Redis is by then. */
  async take(limits: readonly RateLimit[]): Promise<RateLimitRefusal | CountedHit> {
    const counted = limits.filter((limit) => limit.limit > 0);
    if (counted.length === 0) return NOTHING_COUNTED;
    return this.outage.count(() => this.hitInRedis(counted), () => this.local.take(counted));
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  private async hitInRedis(limits: readonly RateLimit[]): Promise<RateLimitRefusal | CountedHit> {
    const keys = counterKeys(limits);
    const args = limits.flatMap((limit) => [limit.limit, limit.windowMs]);
    // Before the call, so that the time measured since is never shorter than Redis's.
    const countedAt = Date.now();
    const [refused, retryAfterSeconds, ...ends] = await this.redis.rateLimitHitAll(keys.length, ...keys, ...args);
    if (refused > 0) return { limit: limits[refused - 1], retryAfterSeconds };
    return { giveBack: () => this.giveBackInRedis(limits, keys, ends, countedAt) };
  }

  private async giveBackInRedis(limits: readonly RateLimit[], keys: readonly string[], ends: readonly number[], countedAt: number): Promise<void> {
    const elapsed = Date.now() - countedAt;
    // A window older than its length has ended, and one whose end is unknown cannot be told from
    // a later one: the hit stays counted, without a round trip to Redis.
    const open = limits.flatMap((limit, i) => (elapsed < limit.windowMs && ends[i] > 0 ? [i] : []));
    if (open.length === 0) return;
    try {
      await this.redis.rateLimitGiveBack(open.length, ...open.map((i) => keys[i]), ...open.map((i) => ends[i]));
    } catch (err) {
      this.log.warn({ err: (err as Error).message, limits: open.map((i) => limits[i].name) }, 'rate limit hit not given back: Redis did not answer');
    }
  }
}
