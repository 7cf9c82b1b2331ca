import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import type { AgentAccount, Availability } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { found, referenced } from '../found';

export interface UpdateAgentCommand {
  password?: string;
  displayName?: string;
  maxChats?: number;
  availability?: Availability;
  queueIds?: string[];
}

/**
 * A lower maxChats than the agent's current chats is allowed: the agent keeps them and gets
 * no new one until below the limit. New queues take effect at the agent's next assignment.
 */
@Injectable()
export class UpdateAgent {
  constructor(private readonly agents: AgentAccountRepository, private readonly queues: ChatQueueRepository, private readonly change: ConfigurationChange) {}

  async execute(id: string, command: UpdateAgentCommand): Promise<AgentAccount> {
    const passwordHash = command.password === undefined ? undefined : await hashSecret(command.password);
    return this.change.apply(async () => {
      found(await this.agents.byId(id, { lock: true }), 'agent', id);
      for (const queueId of command.queueIds ?? []) referenced(await this.queues.byId(queueId), 'queue', queueId, 'queueIds');
      await this.agents.update(id, {
        passwordHash,
        displayName: command.displayName,
        maxChats: command.maxChats,
        availability: command.availability,
        queueIds: command.queueIds && [...new Set(command.queueIds)],
      });
      return found(await this.agents.byId(id), 'agent', id);
    });
  }
}
