import { MemorySessionStore } from '../../../../../test/support/memory-session-store';
import { EndSession } from './end-session.use-case';

describe('EndSession (token revocation)', () => {
  const expiresAt = new Date(Date.now() + 3_600_000);
  let sessions: MemorySessionStore;
  let revoke: EndSession;

  beforeEach(() => {
    sessions = new MemorySessionStore();
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
