import type { StoredOutboxMessage } from '../../../../platform/outbox/outbox';
import type { AgentCapacity, AgentStatus } from '../../domain/agent-availability';
import type { AgentRepository } from '../agent.repository';
import type { QueueDrain } from '../queue-drain';
import { RequestOpenedCapacityDrain } from './request-opened-capacity-drain.use-case';

function setup(now: Omit<AgentStatus, 'agentId'> | undefined, queueIds: string[]) {
  const drained: string[][] = [];
  const agents = {
    status: async (agentId: string) => now && { agentId, ...now },
    queuesOf: async () => queueIds,
  } as unknown as AgentRepository;
  const drain = { request: async (queues: string[]) => (drained.push(queues), queues.map((q) => ({ id: `drain-${q}` }) as StoredOutboxMessage)) } as unknown as QueueDrain;
  return { drained, useCase: new RequestOpenedCapacityDrain(agents, drain) };
}

describe('RequestOpenedCapacityDrain', () => {
  const before = (availability: AgentStatus['availability'], activeChats: number, maxChats: number, queueIds: string[]): AgentCapacity => ({ availability, activeChats, maxChats, queueIds });

  it('asks for every queue of an agent made available, and returns the messages to dispatch', async () => {
    const s = setup({ availability: 'available', maxChats: 2, activeChats: 0 }, ['1', '2']);
    expect((await s.useCase.execute({ agentId: '7', before: before('not_available', 0, 2, ['1', '2']) })).map((m) => m.id)).toEqual(['drain-1', 'drain-2']);
    expect(s.drained).toEqual([['1', '2']]);
  });

  it('compares with the agent before the change: a raised limit drains all its queues, a joined queue only that one', async () => {
    const raised = setup({ availability: 'available', maxChats: 3, activeChats: 2 }, ['1', '2']);
    await raised.useCase.execute({ agentId: '7', before: before('available', 2, 2, ['1', '2']) });
    expect(raised.drained).toEqual([['1', '2']]);
    const joined = setup({ availability: 'available', maxChats: 3, activeChats: 1 }, ['1', '2']);
    await joined.useCase.execute({ agentId: '7', before: before('available', 1, 3, ['1']) });
    expect(joined.drained).toEqual([['2']]);
  });

  it('asks for nothing when the change opens nothing or the agent is gone', async () => {
    const renamed = setup({ availability: 'available', maxChats: 3, activeChats: 1 }, ['1']);
    expect(await renamed.useCase.execute({ agentId: '7', before: before('available', 1, 3, ['1']) })).toEqual([]);
    const gone = setup(undefined, []);
    expect(await gone.useCase.execute({ agentId: '7', before: before('available', 0, 3, ['1']) })).toEqual([]);
    expect(gone.drained).toEqual([]);
  });
});
