import { SessionStore, type IssuedSession, type Session, type SessionKind } from '../../../../platform/session/session';
import { EndSession } from './end-session.use-case';

class MemorySessions extends SessionStore {
  readonly live = new Map<string, Session>();
  async issue(): Promise<IssuedSession> {
    throw new Error('not used');
  }
  async resolve(token: string) {
    return this.live.get(token);
  }
  async end(token: string, kind: SessionKind) {
    if (this.live.get(token)?.kind === kind) this.live.delete(token);
  }
  async liveCount(): Promise<number> {
    return 0;
  }
  async endOldest(): Promise<void> {}
}

describe('EndSession (token revocation)', () => {
  const expiresAt = new Date(Date.now() + 3_600_000);
  let sessions: MemorySessions;
  let revoke: EndSession;

  beforeEach(() => {
    sessions = new MemorySessions();
    sessions.live.set('client', { kind: 'client_application', subjectId: '3', expiresAt });
    sessions.live.set('agent', { kind: 'agent', subjectId: '7', expiresAt });
    sessions.live.set('admin', { kind: 'administrator', subjectId: '9', expiresAt });
    revoke = new EndSession(sessions);
  });

  it('ends a client application session; an unknown or ended token is not an error', async () => {
    await revoke.execute('client');
    expect(sessions.live.has('client')).toBe(false);
    await expect(revoke.execute('client')).resolves.toBeUndefined();
  });

  it.each(['agent', 'admin'])('refuses the %s session with NotClientApplicationSession and leaves it live', async (token) => {
    await expect(revoke.execute(token)).rejects.toMatchObject({ kind: 'NotClientApplicationSession' });
    expect(sessions.live.has(token)).toBe(true);
  });
});
