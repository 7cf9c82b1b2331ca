import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../../../platform/errors/app-error';
import { verifyCredential } from '../../../../platform/security/secret-hasher';
import { SessionStore, type IssuedSession } from '../../../../platform/session/session';
import type { UserRole } from '../../domain/user-account';
import { UserAccountRepository } from '../user-account.repository';
import { UserSessionEvents } from '../user-session-events';

export interface AuthenticateUserCommand {
  username: string;
  password: string;
  role: UserRole;
}

/** Password login of an agent or an administrator: an opaque bearer token backed by a session of that kind. */
@Injectable()
export class AuthenticateUser {
  private readonly logger = new Logger('Authentication');

  constructor(private readonly users: UserAccountRepository, private readonly sessions: SessionStore, private readonly events: UserSessionEvents) {}

  async execute(command: AuthenticateUserCommand): Promise<IssuedSession & { userId: string }> {
    const stored = await this.users.credentials(command.username, command.role);
    const ok = await verifyCredential(command.password, stored?.passwordHash);
    if (!stored || !ok) {
      this.logger.warn({ username: command.username.slice(0, 100), role: command.role }, 'user login refused');
      throw new AppError('InvalidUserCredentials', 'user name or password is wrong');
    }
    const session = await this.sessions.issue(command.role, stored.userId);
    await this.events.publish({ type: 'login', userId: stored.userId, role: command.role });
    return { ...session, userId: stored.userId };
  }
}
