import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorageService, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { readBasicCredentials } from '../session/basic-credentials';

const BY_CLIENT_PREFIX = 'client:';

/** Who a login is for: the client key of Basic credentials, or the `username` of a login body. */
function loginSubject(req: Request): string | undefined {
  const key = readBasicCredentials(req.headers.authorization)?.clientKey;
  if (key !== undefined) return key;
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username !== '' ? `user:${username}` : undefined;
}

/**
 * Brute-force protection of a login route: at most LOGIN_THROTTLE_LIMIT_PER_IP attempts per
 * source address and LOGIN_THROTTLE_LIMIT_PER_CLIENT per client key (or user name) within
 * LOGIN_THROTTLE_WINDOW_MS, successful or not (the check runs before the secret is, and
 * verifying a secret is deliberately slow). Beyond that: 429 with Retry-After, and a warning
 * in the log. Counters live in this process's memory, so with API_PROCESSES > 1 each process
 * counts on its own. It has its own options and storage rather than the global
 * ThrottlerModule, so it cannot clash with throttling of other routes.
 */
@Injectable()
export class LoginThrottleGuard extends ThrottlerGuard {
  private readonly log = new Logger('LoginThrottle');

  // Explicit tokens: the base class declares its own (module options, storage) and they would be inherited.
  constructor(@Inject(AppConfig) config: AppConfig, @Inject(Reflector) reflector: Reflector) {
    super(
      {
        setHeaders: false,
        throttlers: [
          { name: 'login-ip', ttl: config.LOGIN_THROTTLE_WINDOW_MS, limit: config.LOGIN_THROTTLE_LIMIT_PER_IP },
          {
            name: 'login-client',
            ttl: config.LOGIN_THROTTLE_WINDOW_MS,
            limit: config.LOGIN_THROTTLE_LIMIT_PER_CLIENT,
            // Without a subject the request fails authentication anyway; the address limit still counts it.
            skipIf: (context) => loginSubject(context.switchToHttp().getRequest<Request>()) === undefined,
            getTracker: (req) => BY_CLIENT_PREFIX + loginSubject(req as Request),
          },
        ],
      },
      new ThrottlerStorageService(),
      reflector,
    );
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    res.setHeader('Retry-After', String(retryAfter));
    this.log.warn(
      {
        ip: req.ip,
        subject: loginSubject(req)?.slice(0, 64),
        by: detail.tracker.startsWith(BY_CLIENT_PREFIX) ? 'client' : 'address',
        attempts: detail.totalHits,
        limit: detail.limit,
        retryAfterSeconds: retryAfter,
      },
      'login throttled',
    );
    throw new AppError('TooManyRequests', `too many login attempts; retry after ${retryAfter} s`);
  }
}
