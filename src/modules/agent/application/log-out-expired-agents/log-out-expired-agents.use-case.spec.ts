import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { MemorySessionStore } from '../../../../../test/support/memory-session-store';
import type { SessionKind } from '../../../../platform/session/session';
import type { UpdateAgentPresence } from '../update-agent-presence/update-agent-presence.use-case';
import { AgentsNotLoggedOut, LogOutExpiredAgents } from './log-out-expired-agents.use-case';

/**
 * Agents with expired sessions, by id; the sessions of `held` agents are being ended by another
 * transaction, which a locking read with SKIP LOCKED passes over, until `release`.
 */
class ExpiredSessions extends MemorySessionStore {
  readonly expired = new Set<string>();
  readonly held = new Set<string>();
  reads = 0;
  endings = 0;

  async subjectsWithExpired(_kind: SessionKind, limit: number, after?: string): Promise<string[]> {
    this.reads += 1;
    // The other transaction commits after a few reads: its agents' sessions are then ended.
    if (this.reads === 5) for (const id of this.held) this.expired.delete(id);
    return [...this.expired]
      .map(Number)
      .sort((a, b) => a - b)
      .filter((id) => after === undefined || id > Number(after))
      .slice(0, limit)
      .map(String);
  }

  async endExpired(_kind: SessionKind, subjectId: string): Promise<number> {
    this.endings += 1;
    if (this.held.has(subjectId) || !this.expired.has(subjectId)) return 0;
    this.expired.delete(subjectId);
    return 1;
  }
}

describe('LogOutExpiredAgents', () => {
  const txHost = { withTransaction: (_options: unknown, fn: () => Promise<unknown>) => fn() } as unknown as TransactionHost<TransactionalAdapterTypeOrm>;

  it('reads each agent once a round, passing over those another transaction holds, and logs out the agents after them', async () => {
    const sessions = new ExpiredSessions();
    for (let id = 1; id <= 150; id++) sessions.expired.add(String(id));
    for (let id = 1; id <= 100; id++) sessions.held.add(String(id));
    const loggedOut: string[] = [];
    const presence = { execute: jest.fn(async ({ agentId }: { agentId: string }) => void loggedOut.push(agentId)) } as unknown as UpdateAgentPresence;

    const ended = await new LogOutExpiredAgents(sessions, presence, txHost).execute();

    expect(ended).toBe(50);
    expect(loggedOut).toEqual(Array.from({ length: 50 }, (_, i) => String(101 + i)));
    expect(sessions.reads).toBe(2);
    expect(sessions.endings).toBe(150);
  });

  it('logs out the agents of every batch after one whose presence change fails, then reports that one', async () => {
    const sessions = new ExpiredSessions();
    for (let id = 1; id <= 150; id++) sessions.expired.add(String(id));
    const loggedOut: string[] = [];
    const presence = {
      execute: jest.fn(async ({ agentId }: { agentId: string }) => {
        // Its row held past the lock wait timeout, say: its sessions stay, for the next round.
        if (agentId === '1') throw new Error('Lock wait timeout exceeded');
        loggedOut.push(agentId);
      }),
    } as unknown as UpdateAgentPresence;

    const round = new LogOutExpiredAgents(sessions, presence, txHost).execute();

    await expect(round).rejects.toThrow(AgentsNotLoggedOut);
    await expect(round).rejects.toMatchObject({ agentIds: ['1'], ended: 149 });
    expect(loggedOut).toEqual(Array.from({ length: 149 }, (_, i) => String(2 + i)));
  });
});
