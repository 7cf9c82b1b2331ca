import { Injectable } from '@nestjs/common';
import { SessionStore } from '../../../../platform/session/session';

/** Logout / token revocation: the token stops working at once in this process. */
@Injectable()
export class EndSession {
  constructor(private readonly sessions: SessionStore) {}

  async execute(token: string): Promise<void> {
    await this.sessions.end(token);
  }
}
