import { Injectable } from '@nestjs/common';
import { requireSessionKind, SessionStore } from '../../../../platform/session/session';

/**
 * Token revocation: the client application's session ends, at once in this process.
 * An unknown or already ended token is not an error (RFC 7009); a live session of an
 * agent or an administrator is refused like on every client-application API, and stays.
 */
@Injectable()
export class EndSession {
  constructor(private readonly sessions: SessionStore) {}

  async execute(token: string): Promise<void> {
    const session = await this.sessions.resolve(token);
    if (!session) return;
    requireSessionKind(session, 'client_application', 'be revoked as a client application token');
    await this.sessions.end(token, 'client_application');
  }
}
