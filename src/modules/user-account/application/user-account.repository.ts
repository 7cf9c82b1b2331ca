import type { UserRole } from '../domain/user-account';

export abstract class UserAccountRepository {
  abstract credentials(username: string, role: UserRole): Promise<{ userId: string; passwordHash: string } | undefined>;
  abstract displayNames(userIds: string[]): Promise<Map<string, string>>;
}
