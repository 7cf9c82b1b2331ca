import type { AgentOffer, ListAgentsTakingChats, QueueDirectory, QueueSummary } from '../../../agent';
import type { AgentChatRepository } from '../agent-chat.repository';
import { ListTransferTargets } from './list-transfer-targets.use-case';

const offer = (agentId: string): AgentOffer => ({ agentId, displayName: `Agent ${agentId}`, availability: 'available', maxChats: 3, activeChats: 1 });
const queue = (queueId: string): QueueSummary => ({ queueId, name: `Queue ${queueId}`, department: { departmentId: '1', name: 'Sales' } });

describe('ListTransferTargets', () => {
  function subject(queues: QueueSummary[], agents: AgentOffer[], waiting: Map<string, number>) {
    const asked: string[][] = [];
    const directory = { allQueues: async () => queues } as unknown as QueueDirectory;
    const taking = { execute: async () => agents } as unknown as ListAgentsTakingChats;
    const chats = { waitingCounts: async (ids: readonly string[]) => (asked.push([...ids]), waiting) } as unknown as AgentChatRepository;
    return { useCase: new ListTransferTargets(directory, taking, chats), asked };
  }

  it('leaves out the calling agent, as the transfer refuses it, and keeps the other agents in their order', async () => {
    const { useCase } = subject([], [offer('3'), offer('1'), offer('2')], new Map());
    expect((await useCase.execute('1')).agents.map((a) => a.agentId)).toEqual(['3', '2']);
  });

  it('gives every queue its waiting chats, none where the count has no row', async () => {
    const { useCase, asked } = subject([queue('1'), queue('2')], [], new Map([['2', 4]]));
    const targets = await useCase.execute('1');
    expect(asked).toEqual([['1', '2']]);
    expect(targets.queues.map((q) => [q.queueId, q.waitingChats])).toEqual([['1', 0], ['2', 4]]);
  });
});
