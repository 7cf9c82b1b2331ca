import type { AppConfig } from '../../../../platform/config/app-config';
import type { Outbox, StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { AgentAssigner } from '../agent-assigner';
import type { AssignmentFailures, ChatAssignmentFailed } from '../assignment-failures';
import type { AssignmentRepository, LockedWaitingChat } from '../assignment.repository';
import type { ConversationRepository, WaitingActivity } from '../conversation.repository';
import { AssignActivity } from './assign-activity.use-case';

/**
 * One queue in memory: the activities of the jobs, older chats waiting for an agent, free
 * slots, and agents held by other transactions (a claim that may not wait then says so).
 */
function world(options: { olderWaiting?: string[]; freeSlots: number; heldUntilWait?: boolean; failing?: string[] }) {
  const state = {
    failed: [] as string[],
    freeSlots: options.freeSlots,
    olderWaiting: [...(options.olderWaiting ?? [])],
    assigned: [] as string[],
    markedWaiting: [] as string[],
    transactions: 0,
    mayWaitSeen: [] as boolean[],
    dispatched: [] as string[],
    olderLookups: 0,
  };
  const olderThan = (id: string) => state.olderWaiting.filter((older) => BigInt(older) < BigInt(id) && !state.failed.includes(older));
  const activity = (id: string): WaitingActivity => ({ activityId: id, conversationId: `conv-${id}`, queueId: '1', state: 'waiting', conversation: {} as never, waitedMs: 0, olderWaiting: olderThan(id).length > 0 });
  const conversations = {
    lockActivities: async (ids: readonly string[]) => ids.filter((id) => !state.assigned.includes(id)).map(activity),
  } as unknown as ConversationRepository;
  const assignments = {
    markWaitingForAgent: async (id: string) => void state.markedWaiting.push(id),
    lockOlderWaiting: async (_queueId: string, beforeId: string, limit: number): Promise<LockedWaitingChat[]> => {
      state.olderLookups++;
      return olderThan(beforeId).slice(0, limit).map((id) => ({ activityId: id, conversationId: `conv-${id}`, queueId: '1', waitedMs: 5 }));
    },
  } as unknown as AssignmentRepository;
  const assigner = {
    assign: async (a: { activityId: string }, mayWait: boolean) => {
      state.mayWaitSeen.push(mayWait);
      if (options.heldUntilWait && !mayWait) return 'agents-held';
      if (options.failing?.includes(a.activityId)) throw new Error('Check constraint failed');
      if (state.freeSlots === 0) return undefined;
      state.freeSlots--;
      state.olderWaiting = state.olderWaiting.filter((id) => id !== a.activityId);
      state.assigned.push(a.activityId);
      return { agentId: '7', messages: [{ id: `m-${a.activityId}` } as StoredOutboxMessage], correlationId: 'c' };
    },
  } as unknown as AgentAssigner;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => state.dispatched.push(...m.map((x) => x.id)) } as unknown as Outbox;
  const txHost = {
    withTransaction: <T>(...args: unknown[]) => {
      state.transactions++;
      return (args[args.length - 1] as () => Promise<T>)();
    },
  };
  // The failed transaction rolls back: what it assigned is undone (the fake commits nothing until it ends well).
  const failures = {
    record: async (f: ChatAssignmentFailed) => {
      state.failed.push(f.chat.activityId);
      return { failures: 1, retryInMs: 5000 };
    },
  } as unknown as AssignmentFailures;
  const useCase = new AssignActivity(conversations, assignments, assigner, failures, outbox, txHost as never, { ASSIGNMENT_MAX_WAIT_SECONDS: 300 } as AppConfig);
  return { state, useCase };
}

describe('AssignActivity', () => {
  it('gives a free slot to an older chat waiting in the queue before the new one', async () => {
    const { state, useCase } = world({ olderWaiting: ['3'], freeSlots: 1 });
    expect(await useCase.execute(['9'])).toEqual([{ outcome: 'waiting', queueId: '1' }]);
    expect(state.assigned).toEqual(['3']);
    expect(state.markedWaiting).toEqual(['9']);
    expect(state.dispatched).toEqual(['m-3']);
  });

  it('looks for older chats only when the lock found some waiting', async () => {
    const idle = world({ freeSlots: 2 });
    expect((await idle.useCase.execute(['9', '10'])).map((o) => o.outcome)).toEqual(['assigned', 'assigned']);
    expect(idle.state.olderLookups).toBe(0);
    const behind = world({ olderWaiting: ['3'], freeSlots: 2 });
    await behind.useCase.execute(['9', '10']);
    expect(behind.state.olderLookups).toBe(1);
  });

  it('assigns the new chats too while slots remain after the older ones', async () => {
    const { state, useCase } = world({ olderWaiting: ['3'], freeSlots: 2 });
    const outcomes = await useCase.execute(['9', '10']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['assigned', 'waiting']);
    expect(state.assigned).toEqual(['3', '9']);
  });

  it('does not wait for held agents once it holds some: commits and goes on in a new transaction', async () => {
    const { state, useCase } = world({ freeSlots: 3, heldUntilWait: true });
    const outcomes = await useCase.execute(['1', '2', '3']);
    expect(outcomes.map((o) => o.outcome)).toEqual(['assigned', 'assigned', 'assigned']);
    expect(state.transactions).toBe(3);
    expect(state.mayWaitSeen).toEqual([true, false, true, false, true]);
  });

  it('leaves out an older chat whose assignment fails, and assigns the new chats of its queue', async () => {
    const { state, useCase } = world({ olderWaiting: ['3'], freeSlots: 2, failing: ['3'] });
    expect((await useCase.execute(['9', '10'])).map((o) => o.outcome)).toEqual(['assigned', 'assigned']);
    expect(state.failed).toEqual(['3']);
    expect(state.assigned).toEqual(['9', '10']);
  });

  it('reports a chat of the batch whose assignment fails as failed, and assigns the others', async () => {
    const { state, useCase } = world({ freeSlots: 3, failing: ['9'] });
    const outcomes = await useCase.execute(['9', '10']);
    expect(outcomes).toEqual([
      { outcome: 'failed', queueId: '1', reason: 'Check constraint failed', failures: 1, retryInMs: 5000 },
      { outcome: 'assigned', agentId: '7', conversationId: 'conv-10', waitedMs: 0 },
    ]);
    expect(state.assigned).toEqual(['10']);
  });
});
