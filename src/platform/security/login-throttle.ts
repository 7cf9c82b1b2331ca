import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { normalizeIp, ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';

/** The logins counted apart. The queue dashboard's Basic check is an administrator login. */
export type LoginName = 'client-application' | 'agent' | 'administrator';

export interface LoginAttempt {
  login: LoginName;
  /** The socket's address (the api trusts no X-Forwarded-For). */
  ip: string | undefined;
  /** The client key or user name the attempt is for; undefined when the request names none. */
  subject: string | undefined;
}

/**
 * Brute-force protection of every login (client application token, agent and administrator
 * login, the queue dashboard's Basic check): at most LOGIN_THROTTLE_LIMIT_PER_IP attempts per
 * source address and LOGIN_THROTTLE_LIMIT_PER_CLIENT per client key or user name within
 * LOGIN_THROTTLE_WINDOW_MS, successful or not, counted before the secret is checked (verifying
 * one is deliberately slow). Beyond that: 429 TooManyRequests with Retry-After, and a warning
 * in the log. Counters live in this process's memory, so with API_PROCESSES > 1 each process
 * counts on its own. One instance serves every login, so the administrator login and the
 * dashboard share their counters.
 */
@Injectable()
export class LoginThrottle implements OnApplicationShutdown {
  private readonly log = new Logger('LoginThrottle');
  // Its own storage rather than the global ThrottlerModule's, so it cannot clash with throttling of other routes.
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly config: AppConfig) {}

  /** Counts one attempt; throws TooManyRequests (with a Retry-After header) when a limit is exceeded. */
  async attempt(attempt: LoginAttempt): Promise<void> {
    const address = attempt.ip ? normalizeIp(attempt.ip) : 'unknown';
    await this.count(attempt, 'address', `${attempt.login}|address|${address}`, this.config.LOGIN_THROTTLE_LIMIT_PER_IP);
    // Without a subject the request fails authentication anyway; the address limit still counted it.
    if (attempt.subject === undefined) return;
    // The database compares names with trailing spaces ignored (PAD SPACE), so "admin " is "admin" and counts as such.
    const subject = attempt.subject.replace(/ +$/, '');
    await this.count(attempt, 'client', `${attempt.login}|subject|${subject}`, this.config.LOGIN_THROTTLE_LIMIT_PER_CLIENT);
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }

  private async count(attempt: LoginAttempt, by: 'address' | 'client', key: string, limit: number): Promise<void> {
    const windowMs = this.config.LOGIN_THROTTLE_WINDOW_MS;
    const record = await this.storage.increment(key, windowMs, limit, windowMs, by);
    if (!record.isBlocked) return;
    const retryAfter = Math.max(1, record.timeToBlockExpire);
    this.log.warn(
      { login: attempt.login, ip: attempt.ip, subject: attempt.subject?.slice(0, 64), by, attempts: record.totalHits, limit, retryAfterSeconds: retryAfter },
      'login throttled',
    );
    throw new AppError('TooManyRequests', `too many login attempts; retry after ${retryAfter} s`, undefined, {}, { 'Retry-After': String(retryAfter) });
  }
}
