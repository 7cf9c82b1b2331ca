export type UserRole = 'agent' | 'administrator';

/** The authenticated user behind an agent or administrator session. */
export interface UserPrincipal {
  userId: string;
  role: UserRole;
}
