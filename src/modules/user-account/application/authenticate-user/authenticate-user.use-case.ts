import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppError } from '../../../../platform/errors/app-error';
import { loginSubjectDigest } from '../../../../platform/security/login-subject';
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
      // The account by its id when the name is one, never the name (login-subject.ts).
      this.logger.warn({ role: command.role, subjectDigest: loginSubjectDigest(command.username), ...(stored ? { userId: stored.userId } : {}) }, 'user login refused');
      throw new AppError('InvalidUserCredentials', 'user name or password is wrong');
    }
    const session = await this.openSession(stored.userId, stored.passwordHash, command.role);
    try {
      await this.events.publish({ type: 'login', userId: stored.userId, role: command.role });
    } catch (err) {
      await this.withdraw(session.accessToken, stored.userId, command.role);
      throw err;
    }
    return { ...session, userId: stored.userId };
  }

  /**
   * Ends the session of a login whose presence change failed, as a logout does (its presence
   * change in the same transaction): nobody was given its token, and left live it would count as
   * the agent's until it expired, so that the agent's next logout did not log it out. The session
   * is committed before the presence change, not with it, so that a logout crossing the login
   * sees it (UpdateAgentPresence). When this fails too (the database gone), the session is left
   * to expire, and the presence sweep follows its expiry.
   */
  private async withdraw(token: string, userId: string, role: UserRole): Promise<void> {
    try {
      await this.sessions.end(token, role, () => this.events.publish({ type: 'logout', userId, role }));
    } catch (err) {
      this.logger.warn({ userId, role, err: (err as Error).message }, 'session of a failed login not ended; it ends at its expiry');
    }
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
