import { MemorySessionStore } from '../../../../../test/support/memory-session-store';
import { UserSessionEvents, type UserSessionEvent } from '../user-session-events';
import { EndUserSession } from './end-user-session.use-case';

describe('EndUserSession', () => {
  const expiresAt = new Date(Date.now() + 3_600_000);
  let sessions: MemorySessionStore;
  let published: UserSessionEvent[];
  let logout: EndUserSession;

  beforeEach(() => {
    sessions = new MemorySessionStore();
    sessions.live.set('agent-1', { kind: 'agent', subjectId: '7', expiresAt });
    sessions.live.set('agent-2', { kind: 'agent', subjectId: '7', expiresAt });
    sessions.live.set('client', { kind: 'client_application', subjectId: '3', expiresAt });
    const events = new UserSessionEvents();
    published = [];
    events.subscribe(async (event) => void published.push(event));
    logout = new EndUserSession(sessions, events);
  });

  it('ends a session of its role and announces the logout', async () => {
    await logout.execute('agent-1', 'agent');
    expect(sessions.live.has('agent-1')).toBe(false);
    expect(published).toEqual([{ type: 'logout', userId: '7', role: 'agent' }]);
  });

  it.each([
    ['client', 'agent', 'NotAgentSession'],
    ['agent-1', 'administrator', 'NotAdministratorSession'],
  ] as const)('refuses the %s session on the %s logout, ends nothing and announces nothing', async (token, role, kind) => {
    await expect(logout.execute(token, role)).rejects.toMatchObject({ kind });
    expect(sessions.live.has(token)).toBe(true);
    expect(published).toEqual([]);
  });

  it('leaves the session live when what follows the logout fails, so that the logout can be sent again', async () => {
    const events = new UserSessionEvents();
    let fail = true;
    events.subscribe(async (event) => {
      if (fail) throw new Error('presence change failed');
      published.push(event);
    });
    const failing = new EndUserSession(sessions, events);
    await expect(failing.execute('agent-1', 'agent')).rejects.toThrow('presence change failed');
    expect(sessions.live.has('agent-1')).toBe(true);
    fail = false;
    await failing.execute('agent-1', 'agent');
    expect(sessions.live.has('agent-1')).toBe(false);
    expect(published).toEqual([{ type: 'logout', userId: '7', role: 'agent' }]);
  });

  it('takes an unknown or already ended token as done', async () => {
    await logout.execute('agent-1', 'agent');
    await logout.execute('agent-1', 'agent');
    await logout.execute('nope', 'agent');
    expect(published).toHaveLength(1);
  });
});
