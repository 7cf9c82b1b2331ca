import { Injectable, Logger } from '@nestjs/common';
import { loginSubjectDigest } from '../../../../platform/security/login-subject';
import { verifyCredential } from '../../../../platform/security/secret-hasher';
import type { UserRole } from '../../domain/user-account';
import { UserAccountRepository } from '../user-account.repository';

export interface VerifyUserCredentialsCommand {
  username: string;
  password: string;
  role: UserRole;
}

/**
 * Checks a user name and password without opening a session: for callers that authenticate
 * each request themselves (HTTP Basic on the queue dashboard). Returns the user id, or
 * undefined when the user does not exist, has another role, or the password is wrong.
 */
@Injectable()
export class VerifyUserCredentials {
  private readonly logger = new Logger('Authentication');

  constructor(private readonly users: UserAccountRepository) {}

  async execute(command: VerifyUserCredentialsCommand): Promise<string | undefined> {
    const stored = await this.users.credentials(command.username, command.role);
    const ok = await verifyCredential(command.password, stored?.passwordHash);
    if (!stored || !ok) {
      // The account by its id when the name is one, never the name (login-subject.ts).
      this.logger.warn({ role: command.role, subjectDigest: loginSubjectDigest(command.username), ...(stored ? { userId: stored.userId } : {}) }, 'user credentials refused');
      return undefined;
    }
    return stored.userId;
  }
}
