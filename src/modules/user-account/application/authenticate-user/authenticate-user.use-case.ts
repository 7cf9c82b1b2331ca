import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
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
    const session = await this.openSession(stored.userId, stored.passwordHash, command.role);
    await this.events.publish({ type: 'login', userId: stored.userId, role: command.role });
    return { ...session, userId: stored.userId };
  }

  @Transactional()
  private async openSession(userId: string, verifiedHash: string, role: UserRole): Promise<IssuedSession> {
    // The password was verified before the lock (scrypt is slow on purpose): a new password
    // committed meanwhile ended every session it found, so a session opened now with the
    // replaced one would outlive the change.
    if ((await this.users.lockForLogin(userId)) !== verifiedHash) {
      this.logger.warn({ userId, role }, 'user login refused: the password was changed during the login');
      throw new AppError('InvalidUserCredentials', 'user name or password is wrong');
    }
    return this.sessions.issue(role, userId);
  }
}
