import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../errors/app-error';

/** At most `limit` hits of `key` under `name` per `windowMs`; a limit of 0 means none. */
export interface RateLimit {
  name: string;
  key: string;
  limit: number;
  windowMs: number;
  /**
   * What the limits counted together in one call have in common (a start's: the application);
   * every limit of a call has the same. Redis counts one call in one script, whose keys must
   * share a hash slot on Redis Cluster: the scope is that slot's hash tag. Unset: the key.
   */
  scope?: string;
}

/** The scope of a limit (RateLimit.scope): its own, or its key. */
export function scopeOf(limit: Pick<RateLimit, 'key' | 'scope'>): string {
  return limit.scope ?? limit.key;
}

/** Why a hit was refused: the limit reached whose window ends last, and the seconds until it ends. */
export interface RateLimitRefusal {
  limit: RateLimit;
  retryAfterSeconds: number;
}

/**
 * A hit that was counted, which its caller may take back, once, when what it counted was refused
 * after all (a message refused under its conversation's lock). Giving back never fails: a store that
 * cannot reach its counters leaves the hit counted. A window that ended since the hit, or that
 * another window replaced, is left as it is: the hit no longer counts in the window that is open.
 */
export interface CountedHit {
  giveBack(): Promise<void>;
}

/** A hit that counted against no limit (none above 0): there is nothing to give back. */
export const NOTHING_COUNTED: CountedHit = { giveBack: async () => undefined };

/**
 * Where RateLimiter keeps its counters: fixed windows, each opened at its key's first hit and
 * lasting `windowMs`. Every store counts the same way, so that which one runs (THROTTLE_STORE)
 * changes where the limits hold (one process, or every process on the same Redis), never what they are.
 */
export interface RateLimitStore {
  /**
   * Counts one hit against every limit (each with a limit above 0), answered with the means to
   * give it back to the windows that counted it; or, when one of them is reached, against none,
   * answered with the refusal: the latest window to end among those reached.
   */
  take(limits: readonly RateLimit[]): Promise<RateLimitRefusal | CountedHit>;
}

export function isRefusal(outcome: RateLimitRefusal | CountedHit): outcome is RateLimitRefusal {
  return 'retryAfterSeconds' in outcome;
}

export const RATE_LIMIT_STORE = 'RateLimiter:store';

/** Limits that need what only the handler knows (the calling application, the customer a start is for). */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');

  constructor(@Inject(RATE_LIMIT_STORE) private readonly store: RateLimitStore) {}

  /** Counts one hit of `key` under `name`; beyond `limit` per `windowMs` it is a 429 with Retry-After. A limit of 0 means none. */
  async hit(name: string, key: string, limit: number, windowMs: number): Promise<CountedHit> {
    return this.hitAll([{ name, key, limit, windowMs }]);
  }

  /**
   * Counts one hit against every limit, or against none: when one of them is reached, it is a 429
   * with the Retry-After of the latest window to end among those reached, and the others are
   * not counted either, so that a refused request (a customer over its own limit) does not use up
   * what the rest may still do (the application's allowance, shared by its other customers).
   * A hit counted can be given back (CountedHit).
   */
  async hitAll(limits: readonly RateLimit[]): Promise<CountedHit> {
    if (new Set(limits.map(scopeOf)).size > 1) throw new Error(`limits counted together must share a scope: ${limits.map((limit) => limit.name).join(', ')}`);
    const counted = limits.filter((limit) => limit.limit > 0);
    if (counted.length === 0) return NOTHING_COUNTED;
    const outcome = await this.store.take(counted);
    if (!isRefusal(outcome)) return outcome;
    const { limit: { name, key, limit, windowMs }, retryAfterSeconds: retryAfter } = outcome;
    // The key whole, so that an operator can match the line to its counter (whose Redis key holds
    // the key's digest) and to the other lines of the same customer. Keys are made of ids, an
    // attribute name and digests, nothing personal, and are short: a start's customer key is the
    // longest, at most 136 characters (a 64-character custom attribute name).
    this.logger.warn({ limit: name, key, retryAfterSeconds: retryAfter }, 'rate limit reached');
    throw new AppError('TooManyRequests', `${name} limit of ${limit} per ${windowMs} ms reached; retry after ${retryAfter} s`, undefined, {}, { 'Retry-After': String(retryAfter) });
  }
}
