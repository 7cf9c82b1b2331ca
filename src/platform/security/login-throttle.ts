import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { normalizeIp, type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { loginSubjectDigest } from './login-subject';
import { SharedCountersOutage } from './shared-counters-outage';

/** The logins counted apart. The queue dashboard's Basic check is an administrator login. */
export type LoginName = 'client-application' | 'agent' | 'administrator';

export interface LoginAttempt {
  login: LoginName;
  /** The socket's address (the api trusts no X-Forwarded-For). */
  ip: string | undefined;
  /** The client key or user name the attempt is for; undefined when the request names none. */
  subject: string | undefined;
}

type CountRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The counters every api process shares (Redis, see LoginThrottleModule). */
export const SHARED_LOGIN_COUNTERS = 'LoginThrottle:shared-counters';

/**
 * Brute-force protection of every login (client application token, agent and administrator
 * login, the queue dashboard's Basic check): at most LOGIN_THROTTLE_LIMIT_PER_IP attempts per
 * source address and LOGIN_THROTTLE_LIMIT_PER_CLIENT per client key or user name within
 * LOGIN_THROTTLE_WINDOW_MS, successful or not, counted before the secret is checked (verifying
 * one is deliberately slow). Beyond that: 429 TooManyRequests with Retry-After, and a warning
 * in the log. The counters live in Redis, so every api process and host uses up the same
 * allowance. While Redis cannot be reached, a login is not refused for it: this process counts
 * on its own until Redis answers again (a Redis outage must not lock every client and agent
 * out, and the limits still hold per process). One instance serves every login, so the
 * administrator login and the dashboard share their counters.
 */
@Injectable()
export class LoginThrottle implements OnApplicationShutdown {
  private readonly log = new Logger('LoginThrottle');
  // Its own storages rather than a global ThrottlerModule's, so they cannot clash with throttling of other routes.
  private readonly local = new ThrottlerStorageService();
  private readonly outage = new SharedCountersOutage(this.log, {
    down: 'Redis unreachable: login attempts are counted in this process alone until it answers again',
    back: 'login attempts are counted in Redis again, shared by every api process',
  });

  constructor(private readonly config: AppConfig, @Inject(SHARED_LOGIN_COUNTERS) private readonly shared: ThrottlerStorage) {}

  /** Counts one attempt; throws TooManyRequests (with a Retry-After header) when a limit is exceeded. */
  async attempt(attempt: LoginAttempt): Promise<void> {
    const address = attempt.ip ? normalizeIp(attempt.ip) : 'unknown';
    await this.count(attempt, 'address', `${attempt.login}|address|${address}`, this.config.LOGIN_THROTTLE_LIMIT_PER_IP);
    // Without a subject the request fails authentication anyway; the address limit still counted it.
    if (attempt.subject === undefined) return;
    // A digest, not the name (a 64 KiB user name made a 64 KiB counter per attempt); "admin " counts as "admin".
    await this.count(attempt, 'client', `${attempt.login}|subject|${loginSubjectDigest(attempt.subject)}`, this.config.LOGIN_THROTTLE_LIMIT_PER_CLIENT);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }

  private async count(attempt: LoginAttempt, by: 'address' | 'client', key: string, limit: number): Promise<void> {
    const record = await this.increment(key, limit, by);
    if (!record.isBlocked) return;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    this.log.warn(
      { login: attempt.login, ip: attempt.ip, ...loggedSubject(attempt), by, attempts: record.totalHits, limit, retryAfterSeconds: retryAfter },
      'login throttled',
    );
    throw new AppError('TooManyRequests', `too many login attempts; retry after ${retryAfter} s`, undefined, {}, { 'Retry-After': String(retryAfter) });
  }

  private async increment(key: string, limit: number, by: 'address' | 'client'): Promise<CountRecord> {
    const windowMs = this.config.LOGIN_THROTTLE_WINDOW_MS;
    return this.outage.count(
      () => this.shared.increment(key, windowMs, limit, windowMs, by),
      () => this.local.increment(key, windowMs, limit, windowMs, by),
    );
  }
}

/**
 * What a throttled attempt's line names it by: the digest of the client key or user name
 * (login-subject.ts), never the text, which may be a secret or an e-mail address typed into the
 * wrong field.
 */
function loggedSubject(attempt: LoginAttempt): { subjectDigest?: string } {
  return attempt.subject === undefined ? {} : { subjectDigest: loginSubjectDigest(attempt.subject) };
}
