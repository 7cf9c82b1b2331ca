import type { AppConfig } from '../../../../platform/config/app-config';
import type { Outbox, StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { ConversationEvent } from '../../domain/conversation-event';
import type { AssignmentRepository, WaitingChat } from '../assignment.repository';
import type { ConversationEvents } from '../conversation-events';
import { ExpireWaiting } from './expire-waiting.use-case';

/** Overdue activities of one queue, and what the expiry does in its transaction, in order. */
function world(overdueIds: string[]) {
  const state = { overdue: [...overdueIds], steps: [] as string[], dispatched: [] as StoredOutboxMessage[], inTransaction: false };
  const assignments = {
    lockOverdue: async (_q: string, _s: number, limit: number): Promise<WaitingChat[]> =>
      state.overdue.slice(0, limit).map((id) => ({ activityId: id, conversationId: `conv-${id}`, queueId: '1' })),
    endUnassigned: async (ids: readonly string[]) => {
      state.steps.push(`end ${ids.join(',')}${state.inTransaction ? '' : ' (outside)'}`);
      state.overdue = state.overdue.filter((id) => !ids.includes(id));
    },
  } as unknown as AssignmentRepository;
  let n = 0;
  const events = {
    record: async (e: ConversationEvent) => {
      state.steps.push(`${e.type} ${e.conversationId} ${e.sender.type}${state.inTransaction ? '' : ' (outside)'}`);
      const id = `m-${++n}`;
      return { messageId: id, notified: true, occurredAt: new Date(), outboxMessage: { id } as StoredOutboxMessage, correlationId: `corr-${e.conversationId}` };
    },
  } as unknown as ConversationEvents;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => state.dispatched.push(...m) } as unknown as Outbox;
  const txHost = {
    withTransaction: async <T>(...args: unknown[]) => {
      state.inTransaction = true;
      try {
        return await (args[args.length - 1] as () => Promise<T>)();
      } finally {
        state.inTransaction = false;
      }
    },
  };
  const expire = new ExpireWaiting(assignments, events, outbox, txHost as never, { ASSIGNMENT_MAX_WAIT_SECONDS: 300 } as AppConfig);
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
    expect(state.steps.filter((s) => !s.startsWith('end'))).toEqual([]);
    expect(state.dispatched).toEqual([]);
  });
});
