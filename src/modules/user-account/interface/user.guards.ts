import { type CanActivate, createParamDecorator, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../../../platform/errors/app-error';
import { requestContextOf } from '../../../platform/http/wire-format';
import { bearerToken } from '../../../platform/session/bearer-token';
import { requireSessionKind, SessionStore } from '../../../platform/session/session';
import type { UserPrincipal, UserRole } from '../domain/user-account';

const principals = new WeakMap<Request, UserPrincipal>();

// @Injectable here too: without it no constructor metadata is emitted, and the subclasses get no SessionStore.
@Injectable()
abstract class UserSessionGuard implements CanActivate {
  protected abstract readonly role: UserRole;

  constructor(private readonly sessions: SessionStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const session = await this.sessions.resolve(bearerToken(req.headers.authorization));
    if (!session) throw new AppError('SessionNotFound', 'no live session for this token (unknown, expired or logged out)', 'Authorization');
    requireSessionKind(session, this.role, `call ${this.role} APIs`);
    principals.set(req, { userId: session.subjectId, role: this.role });
    // The caller an Idempotency-Key belongs to: each agent's keys are its own.
    const ctx = requestContextOf(req);
    if (ctx) ctx.principal = `${this.role}:${session.subjectId}`;
    return true;
  }
}

/** Admits agent sessions only. */
@Injectable()
export class AgentGuard extends UserSessionGuard {
  protected readonly role = 'agent';
}

/** Admits administrator sessions only. */
@Injectable()
export class AdministratorGuard extends UserSessionGuard {
  protected readonly role = 'administrator';
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): UserPrincipal => {
  const principal = principals.get(context.switchToHttp().getRequest<Request>());
  if (!principal) throw new Error('CurrentUser used on a route without AgentGuard or AdministratorGuard');
  return principal;
});
