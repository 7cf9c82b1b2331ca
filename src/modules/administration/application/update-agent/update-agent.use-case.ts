import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { checkChatLimit } from '../../../agent';
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
 * maxChats follows the agent's own rule for its limit: never below the chats the agent has
 * open (409 ChatLimitBelowActiveChats), checked under the agent's row lock so that an
 * assignment cannot slip in between. New queues take effect at the agent's next assignment.
 */
@Injectable()
export class UpdateAgent {
  constructor(private readonly agents: AgentAccountRepository, private readonly queues: ChatQueueRepository, private readonly change: ConfigurationChange) {}

  async execute(id: string, command: UpdateAgentCommand): Promise<AgentAccount> {
    const passwordHash = command.password === undefined ? undefined : await hashSecret(command.password);
    return this.change.apply(async () => {
      // The agent row stays locked to the end: concurrent changes of the agent wait, and an
      // assignment in progress is either counted in its chats or sees the new limit.
      const load = found(await this.agents.lockChatLoad(id), 'agent', id);
      if (command.maxChats !== undefined) checkChatLimit(command.maxChats, load.activeChats);
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
