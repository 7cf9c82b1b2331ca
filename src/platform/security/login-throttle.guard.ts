import { type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerStorageService, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { readBasicCredentials } from '../session/basic-credentials';

const BY_CLIENT_PREFIX = 'client:';

/**
 * Brute-force protection of a login route: at most LOGIN_THROTTLE_LIMIT_PER_IP attempts per
 * source address and LOGIN_THROTTLE_LIMIT_PER_CLIENT per client key within
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
            getTracker: (req) => BY_CLIENT_PREFIX + (readBasicCredentials((req as Request).headers.authorization)?.clientKey ?? '-'),
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
        clientKey: readBasicCredentials(req.headers.authorization)?.clientKey.slice(0, 64),
        by: detail.tracker.startsWith(BY_CLIENT_PREFIX) ? 'client key' : 'address',
        attempts: detail.totalHits,
        limit: detail.limit,
        retryAfterSeconds: retryAfter,
      },
      'login throttled',
    );
    throw new AppError('TooManyRequests', `too many login attempts; retry after ${retryAfter} s`);
  }
}
