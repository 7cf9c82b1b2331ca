import { applyDecorators, type CanActivate, type ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { readBasicCredentials } from '../session/basic-credentials';
import { LoginThrottle, type LoginName } from './login-throttle';

const LOGIN_NAME = 'login-throttle:login';

/** Who a login is for: the client key of its Basic credentials, or the `username` of a user login's body. */
function loginSubject(req: Request, login: LoginName): string | undefined {
  if (login === 'client-application') return readBasicCredentials(req.headers.authorization)?.clientKey;
  const username = (req.body as { username?: unknown } | undefined)?.username;
  return typeof username === 'string' && username !== '' ? username : undefined;
}

/** Puts a login route under LoginThrottle before its handler checks any secret. */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  constructor(private readonly throttle: LoginThrottle, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const login = this.reflector.get<LoginName | undefined>(LOGIN_NAME, context.getHandler());
    if (!login) throw new Error('LoginThrottleGuard used without @ThrottledLogin');
    const req = context.switchToHttp().getRequest<Request>();
    await this.throttle.attempt({ login, ip: req.ip, subject: loginSubject(req, login) });
    return true;
  }
}

/** Brute-force protection of a login route (see LoginThrottle): 429 with Retry-After beyond the limits. */
export const ThrottledLogin = (login: LoginName) => applyDecorators(SetMetadata(LOGIN_NAME, login), UseGuards(LoginThrottleGuard));
