import type { AssignmentAvailability } from '../../../agent';
import type { AppConfig } from '../../../../platform/config/app-config';
import type { Outbox, StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { AgentAssigner } from '../agent-assigner';
import type { AssignmentFailures, ChatAssignmentFailed } from '../assignment-failures';
import type { AssignmentRepository, LockedWaitingChat, WaitingChat } from '../assignment.repository';
import { DrainQueue } from './drain-queue.use-case';

/** A queue in memory: waiting activities (some held by other transactions) and free slots. */
function world(waitingIds: string[], freeSlots: number, failing: string[] = []) {
  const state = { failed: [] as string[], markedWaiting: [] as string[], waiting: [...waitingIds], heldByOthers: new Set<string>(), freeSlots, assigned: [] as string[], lockCalls: 0, dispatched: [] as StoredOutboxMessage[], inFlight: 0, maxInFlight: 0 };
  const chat = (id: string): LockedWaitingChat => ({ activityId: id, conversationId: `conv-${id}`, queueId: '1', waitedMs: 0 });
  const assignments = {
    lockOldestWaiting: async () => {
      state.lockCalls++;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((r) => setTimeout(r, 1));
      state.inFlight--;
      const id = state.waiting.find((w) => !state.heldByOthers.has(w) && !state.failed.includes(w));
      return id === undefined ? undefined : chat(id);
    },
    hasWaiting: async () => state.waiting.some((w) => !state.failed.includes(w)),
    markWaitingForAgent: async (id: string) => void state.markedWaiting.push(id),
  } as unknown as AssignmentRepository;
  const assigner = {
    assign: async (a: WaitingChat) => {
      if (failing.includes(a.activityId)) throw new Error('Check constraint failed');
      if (state.freeSlots === 0) return undefined;
      state.freeSlots--;
      state.waiting = state.waiting.filter((w) => w !== a.activityId);
      state.assigned.push(a.activityId);
      return { agentId: '7', messages: [{ id: `m-${a.activityId}` } as StoredOutboxMessage] };
    },
  } as unknown as AgentAssigner;
  const availability = { hasFreeAgent: async () => state.freeSlots > 0 } as unknown as AssignmentAvailability;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => state.dispatched.push(...m) } as unknown as Outbox;
  const txHost = { withTransaction: <T>(...args: unknown[]) => (args[args.length - 1] as () => Promise<T>)() };
  const failures = { record: async (f: ChatAssignmentFailed) => void state.failed.push(f.chat.activityId) } as unknown as AssignmentFailures;
  const drain = new DrainQueue(assignments, assigner, failures, availability, outbox, txHost as never, { ASSIGNMENT_MAX_WAIT_SECONDS: 300 } as AppConfig);
  return { state, drain };
}

describe('DrainQueue', () => {
  it('assigns the oldest waiting activities while slots last, and dispatches their events', async () => {
    const { state, drain } = world(['1', '2', '3'], 2);
    expect(await drain.execute('1')).toEqual({ assigned: 2 });
    expect(state.assigned).toEqual(['1', '2']);
    expect(state.waiting).toEqual(['3']);
    expect(state.dispatched.map((m) => m.id)).toEqual(['m-1', 'm-2']);
  });

  it('records the oldest waiting activity it finds no agent for as waiting for one, so newer chats serve it first', async () => {
    const { state, drain } = world(['4', '5'], 0);
    expect(await drain.execute('1')).toEqual({ assigned: 0 });
    expect(state.assigned).toEqual([]);
    expect([...new Set(state.markedWaiting)]).toEqual(['4']);
  });

  it('leaves out a chat whose assignment fails for a reason of its own and goes on with the next ones', async () => {
    const { state, drain } = world(['1', '2', '3'], 5, ['1']);
    expect(await drain.execute('1')).toEqual({ assigned: 2 });
    expect(state.failed).toEqual(['1']);
    expect(state.assigned).toEqual(['2', '3']);
  });

  it('lets a failure that is not one chat\'s own (the database gone) end the drain, as before', async () => {
    const { state, drain } = world(['1', '2'], 5);
    const assigner = (drain as unknown as { assigner: { assign: () => Promise<unknown> } }).assigner;
    assigner.assign = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    await expect(drain.execute('1')).rejects.toThrow('ECONNREFUSED');
    expect(state.failed).toEqual([]);
  });

  it('stops at once when nothing waits', async () => {
    const { state, drain } = world([], 5);
    expect(await drain.execute('1')).toEqual({ assigned: 0 });
    expect(state.lockCalls).toBe(1);
  });

  it('tries again when a waiting activity is held by another transaction while a slot is free', async () => {
    const { state, drain } = world(['1'], 1);
    state.heldByOthers.add('1');
    const lock = state.lockCalls;
    setTimeout(() => state.heldByOthers.delete('1'), 5);
    expect(await drain.execute('1')).toEqual({ assigned: 1 });
    expect(state.lockCalls).toBeGreaterThan(lock + 1);
  });

  it('gives up after a few rounds when the activity stays held, leaving it to the next event or the sweep', async () => {
    const { state, drain } = world(['1'], 1);
    state.heldByOthers.add('1');
    expect(await drain.execute('1')).toEqual({ assigned: 0 });
    expect(state.lockCalls).toBe(5);
    expect(state.waiting).toEqual(['1']);
  });

  it('runs one drain per queue at a time in a process: a request during a drain makes it go round again', async () => {
    const { state, drain } = world(['1', '2'], 3);
    const first = drain.execute('1');
    const second = drain.execute('1');
    state.waiting.push('3');
    const results = await Promise.all([first, second]);
    expect(results[0].assigned + results[1].assigned).toBe(3);
    expect(state.assigned).toEqual(['1', '2', '3']);
    expect(state.maxInFlight).toBe(1);
  });

  it('goes round once more for a request that came after its last round found no slot, and the request waits for it', async () => {
    const { state, drain } = world(['1'], 0);
    const availability = (drain as unknown as { availability: { hasFreeAgent: () => Promise<boolean> } }).availability;
    let second: Promise<{ assigned: number }> | undefined;
    availability.hasFreeAgent = async () => {
      const free = state.freeSlots > 0;
      if (!second) {
        // A chat completed once the drain had looked: its request comes while the drain still runs.
        state.freeSlots = 1;
        second = drain.execute('1');
      }
      return free;
    };
    const first = await drain.execute('1');
    await second;
    expect(first).toEqual({ assigned: 1 });
    expect(state.assigned).toEqual(['1']);
    expect(state.maxInFlight).toBe(1);
  });

  it('starts afresh after a drain has finished', async () => {
    const { state, drain } = world(['1'], 2);
    await drain.execute('1');
    state.waiting.push('2');
    expect(await drain.execute('1')).toEqual({ assigned: 1 });
  });
});
