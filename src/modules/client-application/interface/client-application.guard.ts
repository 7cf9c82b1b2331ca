import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../../../platform/errors/app-error';
import { requestContextOf } from '../../../platform/http/wire-format';
import { bearerToken } from '../../../platform/session/bearer-token';
import { requireSessionKind, SessionStore } from '../../../platform/session/session';
import type { ClientApplicationPrincipal } from '../domain/client-application';

const principals = new WeakMap<Request, ClientApplicationPrincipal>();

/** Admits client-application sessions only: 401 with the precise reason otherwise. */
@Injectable()
export class ClientApplicationGuard implements CanActivate {
  constructor(private readonly sessions: SessionStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const session = await this.sessions.resolve(bearerToken(req.headers.authorization));
    if (!session) throw new AppError('SessionNotFound', 'no live session for this token (unknown, expired or logged out)', 'Authorization');
    requireSessionKind(session, 'client_application', 'call client application APIs');
    principals.set(req, { clientApplicationId: session.subjectId });
    const ctx = requestContextOf(req);
    if (ctx) ctx.principal = `client_application:${session.subjectId}`;
    return true;
  }
}

export const CurrentClientApplication = createParamDecorator((_data: unknown, context: ExecutionContext): ClientApplicationPrincipal => {
  const principal = principals.get(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('CurrentClientApplication used on a route without ClientApplicationGuard');
  return principal;
});
