import { Injectable } from '@nestjs/common';
import { SessionStore } from '../../../../platform/session/session';
import type { UserRole } from '../../domain/user-account';
import { UserSessionEvents } from '../user-session-events';

/** Logout: ends the session of the token; when it was a session of this role, says so to listeners. */
@Injectable()
export class EndUserSession {
  constructor(private readonly sessions: SessionStore, private readonly events: UserSessionEvents) {}

  async execute(token: string, role: UserRole): Promise<void> {
    const session = await this.sessions.resolve(token);
    await this.sessions.end(token);
    if (session?.kind !== role) return;
    const sessionsLeft = await this.sessions.liveCount(role, session.subjectId);
    await this.events.publish({ type: 'logout', userId: session.subjectId, role, sessionsLeft });
  }
}
