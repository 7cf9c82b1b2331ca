import { Injectable } from '@nestjs/common';
import { requireSessionKind, SessionStore } from '../../../../platform/session/session';
import type { UserRole } from '../../domain/user-account';
import { UserSessionEvents } from '../user-session-events';

/**
 * Logout: ends the session of the token and says so to listeners (an agent's presence
 * follows its sessions). An unknown or already ended token is not an error; a live session
 * of another kind is refused like on the rest of this role's API, and stays.
 */
@Injectable()
export class EndUserSession {
  constructor(private readonly sessions: SessionStore, private readonly events: UserSessionEvents) {}

  async execute(token: string, role: UserRole): Promise<void> {
    const session = await this.sessions.resolve(token);
    if (!session) return;
    requireSessionKind(session, role, `log out of the ${role} API`);
    await this.sessions.end(token, role);
    await this.events.publish({ type: 'logout', userId: session.subjectId, role });
  }
}
