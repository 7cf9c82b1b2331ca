import type { UserRole } from '../domain/user-account';

export abstract class UserAccountRepository {
  abstract credentials(username: string, role: UserRole): Promise<{ userId: string; passwordHash: string } | undefined>;
  /**
   * Serializes a login with a change of the user's password, and answers the password hash as
   * of the lock (undefined: no such user).
   */
  abstract lockForLogin(userId: string): Promise<string | undefined>;
  abstract displayNames(userIds: string[]): Promise<Map<string, string>>;
}
