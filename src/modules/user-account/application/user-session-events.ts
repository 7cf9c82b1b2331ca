import { Injectable } from '@nestjs/common';
import type { UserRole } from '../domain/user-account';

export type UserSessionEvent =
  | { type: 'login'; userId: string; role: UserRole }
  | { type: 'logout'; userId: string; role: UserRole };

export type UserSessionListener = (event: UserSessionEvent) => Promise<void>;

/**
 * Tells other modules that a user logged in or out, without this module knowing them:
 * the agent module follows agents' presence this way (it depends on this module, so
 * this module cannot call it). Listeners run before the login or logout answers.
 */
@Injectable()
export class UserSessionEvents {
  private readonly listeners: UserSessionListener[] = [];

  subscribe(listener: UserSessionListener): void {
    this.listeners.push(listener);
  }

  async publish(event: UserSessionEvent): Promise<void> {
    for (const listener of this.listeners) await listener(event);
  }
}
