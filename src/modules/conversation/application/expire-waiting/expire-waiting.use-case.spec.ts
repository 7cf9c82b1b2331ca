import type { AppConfig } from '../../../../platform/config/app-config';
import type { Outbox, StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { ConversationEvent } from '../../domain/conversation-event';
import type { AssignmentFailures } from '../assignment-failures';
import type { AssignmentRepository, WaitingChat } from '../assignment.repository';
import type { ConversationEvents } from '../conversation-events';
import { ExpireWaiting } from './expire-waiting.use-case';

/**
 * Overdue activities of one queue, and what the expiry does in its transactions, in order.
 * `failing` maps an activity to the error its ending throws (while building its events).
 */
function world(overdueIds: string[], failing: Record<string, Error> = {}) {
  const state = { overdue: [...overdueIds], steps: [] as string[], dispatched: [] as StoredOutboxMessage[], deferred: [] as string[], inTransaction: false };
  const chat = (id: string): WaitingChat => ({ activityId: id, conversationId: `conv-${id}`, queueId: '1' });
  let pending: { ended: string[]; steps: string[]; messages: StoredOutboxMessage[] } | undefined;
  const assignments = {
    findOverdue: async (_q: string, _s: number, limit: number): Promise<WaitingChat[]> =>
      state.overdue.filter((id) => !state.deferred.includes(id)).slice(0, limit).map(chat),
    lockOverdue: async (ids: readonly string[]): Promise<WaitingChat[]> => ids.filter((id) => state.overdue.includes(id)).map(chat),
    endUnassigned: async (ids: readonly string[]) => {
      pending!.steps.push(`end ${ids.join(',')}${state.inTransaction ? '' : ' (outside)'}`);
      pending!.ended.push(...ids);
    },
  } as unknown as AssignmentRepository;
  let n = 0;
  const events = {
    record: async (e: ConversationEvent) => {
      const failure = failing[e.conversationId.replace('conv-', '')];
      if (failure) throw failure;
      pending!.steps.push(`${e.type} ${e.conversationId} ${e.sender.type}${state.inTransaction ? '' : ' (outside)'}`);
      const id = `m-${++n}`;
      pending!.messages.push({ id } as StoredOutboxMessage);
      return { messageId: id, notified: true, occurredAt: new Date(), outboxMessage: { id } as StoredOutboxMessage, correlationId: `corr-${e.conversationId}` };
    },
  } as unknown as ConversationEvents;
  const failures = {
    recordExpiry: async (c: WaitingChat) => {
      state.steps.push(`deferred ${c.activityId}`);
      state.deferred.push(c.activityId);
      return { failures: 1, retryInMs: 1000 };
    },
  } as unknown as AssignmentFailures;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => state.dispatched.push(...m) } as unknown as Outbox;
  // Commits what the transaction did, or forgets it when it throws (a rollback).
  const txHost = {
    withTransaction: async <T>(...args: unknown[]) => {
      state.inTransaction = true;
      pending = { ended: [], steps: [], messages: [] };
      try {
        const result = await (args[args.length - 1] as () => Promise<T>)();
        state.steps.push(...pending.steps);
        state.overdue = state.overdue.filter((id) => !pending!.ended.includes(id));
        return result;
      } finally {
        state.inTransaction = false;
      }
    },
  };
  const expire = new ExpireWaiting(assignments, events, failures, outbox, txHost as never, { ASSIGNMENT_MAX_WAIT_SECONDS: 300 } as AppConfig);
  return { state, expire };
}

describe('ExpireWaiting', () => {
  it('ends each overdue conversation in one transaction: unassigned, then noAgentAvailable and complete from the system, complete last', async () => {
    const { state, expire } = world(['1', '2']);
    expect(await expire.execute('1')).toBe(2);
    expect(state.steps).toEqual([
      'end 1,2',
      'noAgentAvailable conv-1 system',
      'complete conv-1 system',
      'noAgentAvailable conv-2 system',
      'complete conv-2 system',
    ]);
    expect(state.dispatched.map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
  });

  it('does nothing when nothing is overdue', async () => {
    const { state, expire } = world([]);
    expect(await expire.execute('1')).toBe(0);
    expect(state.steps).toEqual([]);
    expect(state.dispatched).toEqual([]);
  });

  it('a conversation that cannot be ended costs only itself: the others, older and newer, are ended, it is left out for a while', async () => {
    const { state, expire } = world(['1', '2', '3'], { '2': new Error('cannot build this event') });
    expect(await expire.execute('1')).toBe(2);
    expect(state.steps).toEqual([
      'end 1',
      'noAgentAvailable conv-1 system',
      'complete conv-1 system',
      'deferred 2',
      'end 3',
      'noAgentAvailable conv-3 system',
      'complete conv-3 system',
    ]);
    expect(state.overdue).toEqual(['2']);
    // Only what committed is dispatched.
    expect(state.dispatched).toHaveLength(4);
  });

  it('goes on past a full batch of conversations that cannot be ended', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => String(i + 1));
    const failing = Object.fromEntries(ids.slice(0, 100).map((id) => [id, new Error('refused')]));
    const { state, expire } = world(ids, failing);
    expect(await expire.execute('1')).toBe(1);
    expect(state.deferred).toHaveLength(100);
    expect(state.overdue).not.toContain('101');
  });

  it('a failure that would hit every conversation alike fails the expiry, and leaves no conversation out', async () => {
    const timeout = Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
    const { state, expire } = world(['1', '2'], { '1': timeout });
    await expect(expire.execute('1')).rejects.toBe(timeout);
    expect(state.deferred).toEqual([]);
    expect(state.overdue).toEqual(['1', '2']);
  });
});
