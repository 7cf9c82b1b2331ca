import { Injectable } from '@nestjs/common';
import { ListAgentsTakingChats, QueueDirectory, type AgentOffer, type QueueSummary } from '../../../agent';
import { mayTransferToAgent } from '../../domain/transfer-chat.command';
import { AgentChatRepository } from '../agent-chat.repository';

export interface TransferQueue extends QueueSummary {
  waitingChats: number;
}

export interface TransferTargets {
  queues: TransferQueue[];
  agents: AgentOffer[];
}

/**
 * Where the agent may transfer a chat right now: the targets TransferChat accepts, read by the
 * same rules (any queue that exists; an agent other than itself that ClaimNamedAgent would
 * take). A plain read: by the time the agent picks one, the transfer itself decides.
 */
@Injectable()
export class ListTransferTargets {
  constructor(private readonly queues: QueueDirectory, private readonly agents: ListAgentsTakingChats, private readonly chats: AgentChatRepository) {}

  async execute(agentId: string): Promise<TransferTargets> {
    const [queues, agents] = await Promise.all([this.queues.allQueues(), this.agents.execute()]);
    const waiting = await this.chats.waitingCounts(queues.map((q) => q.queueId));
    return {
      queues: queues.map((q) => ({ ...q, waitingChats: waiting.get(q.queueId) ?? 0 })),
      agents: agents.filter((a) => mayTransferToAgent(agentId, a.agentId)),
    };
  }
}
