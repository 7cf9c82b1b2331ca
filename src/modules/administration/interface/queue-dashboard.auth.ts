import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppError } from '../../../platform/errors/app-error';
import { requireSessionKind, SessionStore } from '../../../platform/session/session';
import { VerifyUserCredentials } from '../../user-account';

/** A browser's Basic credentials are checked with scrypt once, then trusted this long (the dashboard polls every few seconds). */
const BASIC_CACHE_MS = 30_000;
export const DASHBOARD_REALM = 'Basic realm="queue dashboard", charset="UTF-8"';

/**
 * The dashboard is Express middleware, outside Nest's guards, so it checks administrators
 * itself, the way AdministratorGuard does: `Authorization: Bearer <administrator session>`
 * (resolved with SessionStore), or `Basic base64(user:password)` of an administrator
 * account, which a browser asks for and then sends with every request.
 */
@Injectable()
export class QueueDashboardAuth {
  private readonly basic = new TtlCache<string | null>(BASIC_CACHE_MS, 1000);

  constructor(private readonly sessions: SessionStore, private readonly verify: VerifyUserCredentials) {}

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      this.administrator(req.headers.authorization).then(
        () => next(),
        (err: unknown) => {
          res.setHeader('WWW-Authenticate', DASHBOARD_REALM);
          next(err);
        },
      );
    };
  }

  private async administrator(header: string | undefined): Promise<string> {
    const value = header?.trim() ?? '';
    if (value === '') throw new AppError('AuthorizationMissing', 'the queue dashboard needs an administrator: Bearer token or Basic user:password', 'Authorization');
    const [scheme, credentials = ''] = value.split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) return this.bearer(credentials);
    if (/^basic$/i.test(scheme)) return this.basicUser(credentials);
    throw new AppError('AuthorizationMalformed', 'Authorization must be "Bearer <token>" or "Basic <base64 user:password>"', 'Authorization');
  }

  private async bearer(token: string): Promise<string> {
    const session = token ? await this.sessions.resolve(token) : undefined;
    if (!session) throw new AppError('SessionNotFound', 'no live session for this token (unknown, expired or logged out)', 'Authorization');
    requireSessionKind(session, 'administrator', 'open the queue dashboard');
    return session.subjectId;
  }

  private async basicUser(encoded: string): Promise<string> {
    const decoded = /^[A-Za-z0-9+/]+=*$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new AppError('AuthorizationMalformed', 'Basic credentials must be base64(user:password)', 'Authorization');
    const key = createHash('sha256').update(decoded).digest('hex');
    const userId = await this.basic.get(key, async () => {
      const id = await this.verify.execute({ username: decoded.slice(0, colon), password: decoded.slice(colon + 1), role: 'administrator' });
      return id ?? null;
    });
    if (userId === null) throw new AppError('InvalidUserCredentials', 'user name or password is wrong, or not an administrator', 'Authorization');
    return userId;
  }
}
