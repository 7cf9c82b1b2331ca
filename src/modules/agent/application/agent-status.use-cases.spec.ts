import { MemorySessionStore } from '../../../../test/support/memory-session-store';
import type { Outbox, StoredOutboxMessage } from '../../../platform/outbox/outbox';
import type { AgentStatus, Availability } from '../domain/agent-availability';
import { AgentNotLoggedIn, ChatLimitBelowActiveChats } from '../domain/agent.errors';
import { AgentStatusChange } from './agent-status-change';
import type { AgentRepository } from './agent.repository';
import type { QueueDrain } from './queue-drain';
import { SetAvailability } from './set-availability/set-availability.use-case';
import { SetChatLimit } from './set-chat-limit/set-chat-limit.use-case';
import { UpdateAgentPresence } from './update-agent-presence/update-agent-presence.use-case';

function setup(initial: Omit<AgentStatus, 'agentId'>, { inCallersTransaction = false } = {}) {
  const agent: AgentStatus = { agentId: '7', ...initial };
  const drained: string[][] = [];
  const dispatched: StoredOutboxMessage[] = [];
  const repo = {
    lockStatus: async () => ({ ...agent }),
    status: async () => ({ ...agent }),
    setAvailability: async (_: string, a: Availability) => void (agent.availability = a),
    setMaxChats: async (_: string, m: number) => void (agent.maxChats = m),
    queuesOf: async () => ['1', '3'],
  } as unknown as AgentRepository;
  const drain = { request: async (queues: string[]) => (drained.push(queues), queues.map((q) => ({ id: `drain-${q}` }) as StoredOutboxMessage)) } as unknown as QueueDrain;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => dispatched.push(...m) } as unknown as Outbox;
  const change = new AgentStatusChange(repo, drain, outbox, { withTransaction: <T>(fn: () => Promise<T>) => fn(), isTransactionActive: () => inCallersTransaction } as never);
  const sessions = new MemorySessionStore();
  return { agent, drained, dispatched, sessions, availability: new SetAvailability(change, repo, sessions), limit: new SetChatLimit(change, repo), presence: new UpdateAgentPresence(change, repo, sessions) };
}

/** The agent logged in, in one tab. */
function loggedIn<T extends ReturnType<typeof setup>>(s: T): T {
  s.sessions.live.set('tab', { kind: 'agent', subjectId: '7', expiresAt: new Date(Date.now() + 60_000) });
  return s;
}

describe('agent status use cases', () => {
  it('becoming available drains every queue of the agent after commit', async () => {
    const s = loggedIn(setup({ availability: 'not_available', maxChats: 3, activeChats: 1 }));
    expect(await s.availability.execute({ agentId: '7', availability: 'available' })).toMatchObject({ availability: 'available' });
    expect(s.drained).toEqual([['1', '3']]);
    expect(s.dispatched.map((m) => m.id)).toEqual(['drain-1', 'drain-3']);
  });

  it("inside a caller's transaction, asks for the drains but leaves them to the relay, as they exist only once the caller commits", async () => {
    const s = loggedIn(setup({ availability: 'not_available', maxChats: 3, activeChats: 1 }, { inCallersTransaction: true }));
    await s.availability.execute({ agentId: '7', availability: 'available' });
    expect(s.drained).toEqual([['1', '3']]);
    expect(s.dispatched).toEqual([]);
  });

  it('becoming not_available drains nothing', async () => {
    const s = loggedIn(setup({ availability: 'available', maxChats: 3, activeChats: 1 }));
    await s.availability.execute({ agentId: '7', availability: 'not_available' });
    expect(s.drained).toEqual([]);
  });

  it('refuses availability to an agent left without a live session (its last one ended while the request waited), and changes nothing', async () => {
    for (const availability of ['available', 'not_available'] as const) {
      const s = setup({ availability: 'logged_out', maxChats: 3, activeChats: 1 });
      await expect(s.availability.execute({ agentId: '7', availability })).rejects.toThrow(AgentNotLoggedIn);
      expect(s.agent.availability).toBe('logged_out');
      expect(s.drained).toEqual([]);
    }
  });

  it('raising the limit of an available agent drains; lowering it does not', async () => {
    const s = setup({ availability: 'available', maxChats: 3, activeChats: 3 });
    await s.limit.execute({ agentId: '7', maxChats: 4 });
    expect(s.drained).toHaveLength(1);
    await s.limit.execute({ agentId: '7', maxChats: 3 });
    expect(s.drained).toHaveLength(1);
  });

  it('refuses a limit below the open chats and keeps the old one', async () => {
    const s = setup({ availability: 'available', maxChats: 3, activeChats: 2 });
    await expect(s.limit.execute({ agentId: '7', maxChats: 1 })).rejects.toThrow(ChatLimitBelowActiveChats);
    expect(s.agent.maxChats).toBe(3);
  });

  it('login and the last logout move a logged-out agent through not_available to logged_out', async () => {
    const s = setup({ availability: 'logged_out', maxChats: 3, activeChats: 0 });
    // A login ended before it reached the agent (an administrator's logged_out crossing it) leaves it logged out.
    await s.presence.execute({ agentId: '7', event: 'login' });
    expect(s.agent.availability).toBe('logged_out');
    s.sessions.live.set('tab', { kind: 'agent', subjectId: '7', expiresAt: new Date(Date.now() + 60_000) });
    await s.presence.execute({ agentId: '7', event: 'login' });
    expect(s.agent.availability).toBe('not_available');
    s.sessions.live.set('other-tab', { kind: 'agent', subjectId: '7', expiresAt: new Date(Date.now() + 60_000) });
    await s.presence.execute({ agentId: '7', event: 'logout' });
    expect(s.agent.availability).toBe('not_available');
    s.sessions.live.delete('other-tab');
    s.sessions.live.delete('tab');
    await s.presence.execute({ agentId: '7', event: 'logout' });
    expect(s.agent.availability).toBe('logged_out');
    expect(s.drained).toEqual([]);
  });
});
