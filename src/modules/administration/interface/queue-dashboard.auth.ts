import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { TtlCache } from '../../../platform/cache/ttl-cache';
import { AppError } from '../../../platform/errors/app-error';
import { LoginThrottle } from '../../../platform/security/login-throttle';
import { requireSessionKind, SessionStore } from '../../../platform/session/session';
import { VerifyUserCredentials } from '../../user-account';

/** A browser's Basic credentials are checked with scrypt once, then trusted this long (the dashboard polls every few seconds). */
const BASIC_CACHE_MS = 30_000;
export const DASHBOARD_REALM = 'Basic realm="queue dashboard", charset="UTF-8"';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A browser sends the Basic credentials it was given for the dashboard with every request to its
 * origin, those a page of another site makes it send included (a form's POST, a no-cors fetch), so
 * such a page could change the queues in an administrator's name (add a job: the board's POST takes
 * a text/plain body without a preflight). A request that changes something is therefore refused
 * when the browser says it comes from elsewhere: Sec-Fetch-Site other than same-origin, or,
 * from a browser that does not send it, an Origin naming another host. Clients that are not
 * browsers send neither and are not concerned; the board's own page sends same-origin.
 */
export function refuseCrossSite(req: Pick<Request, 'method' | 'headers'>): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw new AppError('CrossSiteRequestRefused', `Sec-Fetch-Site: ${site.slice(0, 20)}: the queue dashboard takes changes only from its own page`, 'Sec-Fetch-Site');
  }
  const origin = req.headers.origin;
  if (origin === undefined || originHost(origin) === req.headers.host?.toLowerCase()) return;
  throw new AppError('CrossSiteRequestRefused', 'Origin names another host: the queue dashboard takes changes only from its own page', 'Origin');
}

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase() || undefined;
  } catch {
    return undefined; // "null" (a sandboxed or opaque origin) and anything malformed
  }
}

/**
 * The dashboard is Express middleware, outside Nest's guards, so it checks administrators
 * itself, the way AdministratorGuard does: `Authorization: Bearer <administrator session>`
 * (resolved with SessionStore), or `Basic base64(user:password)` of an administrator
 * account, which a browser asks for and then sends with every request. A Basic check is an
 * administrator login: it counts in LoginThrottle with the administrator login's counters
 * whenever the password is actually verified (not when a recent answer for the same
 * credentials is reused, which is what the board's polling does).
 */
@Injectable()
export class QueueDashboardAuth {
  /**
   * Only credentials that proved an administrator are kept: wrong ones, kept too, pushed the
   * administrators' entries out (1,000 wrong attempts within the cache time), after which the
   * board's every poll checked the password again and counted against that user's logins, and a
   * wrong password repeated within the cache time did not count at all.
   */
  private readonly basic = new TtlCache<string | null>(BASIC_CACHE_MS, 1000, (userId) => userId !== null);

  constructor(private readonly sessions: SessionStore, private readonly verify: VerifyUserCredentials, private readonly throttle: LoginThrottle) {}

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      // Before the credentials are looked at: another site's page does not use up the administrator login's allowance either.
      try {
        refuseCrossSite(req);
      } catch (err) {
        next(err);
        return;
      }
      this.administrator(req.headers.authorization, req.ip).then(
        () => next(),
        (err: unknown) => {
          res.setHeader('WWW-Authenticate', DASHBOARD_REALM);
          next(err);
        },
      );
    };
  }

  private async administrator(header: string | undefined, ip: string | undefined): Promise<string> {
    const value = header?.trim() ?? '';
    if (value === '') throw new AppError('AuthorizationMissing', 'the queue dashboard needs an administrator: Bearer token or Basic user:password', 'Authorization');
    const [scheme, credentials = ''] = value.split(/\s+/, 2);
    if (/^bearer$/i.test(scheme)) return this.bearer(credentials);
    if (/^basic$/i.test(scheme)) return this.basicUser(credentials, ip);
    throw new AppError('AuthorizationMalformed', 'Authorization must be "Bearer <token>" or "Basic <base64 user:password>"', 'Authorization');
  }

  private async bearer(token: string): Promise<string> {
    const session = token ? await this.sessions.resolve(token) : undefined;
    if (!session) throw new AppError('SessionNotFound', 'no live session for this token (unknown, expired or logged out)', 'Authorization');
    requireSessionKind(session, 'administrator', 'open the queue dashboard');
    return session.subjectId;
  }

  private async basicUser(encoded: string, ip: string | undefined): Promise<string> {
    const decoded = /^[A-Za-z0-9+/]+=*$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw new AppError('AuthorizationMalformed', 'Basic credentials must be base64(user:password)', 'Authorization');
    const key = createHash('sha256').update(decoded).digest('hex');
    const username = decoded.slice(0, colon);
    const userId = await this.basic.get(key, async () => {
      await this.throttle.attempt({ login: 'administrator', ip, subject: username });
      const id = await this.verify.execute({ username, password: decoded.slice(colon + 1), role: 'administrator' });
      return id ?? null;
    });
    if (userId === null) throw new AppError('InvalidUserCredentials', 'user name or password is wrong, or not an administrator', 'Authorization');
    return userId;
  }
}
