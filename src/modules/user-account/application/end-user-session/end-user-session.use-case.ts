import { Injectable } from '@nestjs/common';
import { requireSessionKind, SessionStore } from '../../../../platform/session/session';
import type { UserRole } from '../../domain/user-account';
import { UserSessionEvents } from '../user-session-events';

/**
 * Logout: ends the session of the token and says so to listeners (an agent's presence
 * follows its sessions). An unknown or already ended token is not an error; a live session
 * of another kind is refused like on the rest of this role's API, and stays.
 *
 * The listeners run in the transaction that ends the session: a logout whose presence change
 * failed (the database gone between the two, the process killed) ended the session all the
 * same, and its retry, finding the token ended, changed nothing, so the agent stayed available,
 * handed chats, with nobody logged in. Now nothing of a failed logout stands, and sending it
 * again logs the agent out.
 */
@Injectable()
export class EndUserSession {
  constructor(private readonly sessions: SessionStore, private readonly events: UserSessionEvents) {}

  async execute(token: string, role: UserRole): Promise<void> {
    const session = await this.sessions.resolve(token);
    if (!session) return;
    requireSessionKind(session, role, `log out of the ${role} API`);
    await this.sessions.end(token, role, () => this.events.publish({ type: 'logout', userId: session.subjectId, role }));
  }
}
