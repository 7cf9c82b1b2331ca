import { Injectable, Logger } from '@nestjs/common';
import { Transactional, TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { retryOnConflict } from '../../../../platform/database/transaction-retry';
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

/**
 * How long the session of a login lives until the login's presence change has committed with it:
 * far longer than that change can take (each of its statements waits at most the database's lock
 * wait timeout), and short against SESSION_TTL_SECONDS, so that the session of a login that failed
 * and could not be ended is dropped soon, by its expiry, with no other step that could fail.
 */
export const PROVISIONAL_SESSION_SECONDS = 300;

/** Password login of an agent or an administrator: an opaque bearer token backed by a session of that kind. */
@Injectable()
export class AuthenticateUser {
  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly users: UserAccountRepository,
    private readonly sessions: SessionStore,
    private readonly events: UserSessionEvents,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async execute(command: AuthenticateUserCommand): Promise<IssuedSession & { userId: string }> {
    const stored = await this.users.credentials(command.username, command.role);
    const ok = await verifyCredential(command.password, stored?.passwordHash);
    if (!stored || !ok) {
      // The account by its id when the name is one, never the name (login-subject.ts).
      this.logger.warn({ role: command.role, subjectDigest: loginSubjectDigest(command.username), ...(stored ? { userId: stored.userId } : {}) }, 'user login refused');
      throw new AppError('InvalidUserCredentials', 'user name or password is wrong');
    }
    const provisional = await this.openSession(stored.userId, stored.passwordHash, command.role);
    try {
      return { ...(await this.confirm(provisional.accessToken, stored.userId, command.role)), userId: stored.userId };
    } catch (err) {
      await this.withdraw(provisional.accessToken, stored.userId, command.role);
      throw err;
    }
  }

  /**
   * Gives the session its whole life and changes the agent's presence, in one transaction (the
   * session's row, then the agent's, in the order of a logout): the session becomes a login's
   * only with its presence change.
   */
  private confirm(token: string, userId: string, role: UserRole): Promise<IssuedSession> {
    // READ COMMITTED, as a logout's: the presence change counts the live sessions once it holds the agent's row.
    return retryOnConflict(() =>
      this.txHost.withTransaction({ isolationLevel: 'READ COMMITTED' }, async () => {
        const session = await this.sessions.confirm(token, role);
        await this.events.publish({ type: 'login', userId, role });
        return session;
      }),
    );
  }

  /**
   * Ends the session of a login whose presence change failed, as a logout does (its presence
   * change in the same transaction): nobody was given its token, and left live it would count as
   * the agent's, so that the agent's next logout did not log it out. When this fails too (the
   * database gone), the session ends at its provisional expiry, PROVISIONAL_SESSION_SECONDS after
   * the login, and the presence sweep follows that.
   */
  private async withdraw(token: string, userId: string, role: UserRole): Promise<void> {
    try {
      await this.sessions.end(token, role, () => this.events.publish({ type: 'logout', userId, role }));
    } catch (err) {
      this.logger.warn({ userId, role, err: (err as Error).message }, 'session of a failed login not ended; it ends at its provisional expiry');
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
    // Committed before the presence change, so that a logout crossing the login counts it (UpdateAgentPresence),
    // and provisional, so that it does not outlive a login that fails after it by more than that.
    return this.sessions.issue(role, userId, PROVISIONAL_SESSION_SECONDS);
  }
}
