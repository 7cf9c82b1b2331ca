import { Injectable } from '@nestjs/common';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { checkPresence } from '../../../agent';
import type { AgentAccount, Availability } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { found, referenced } from '../found';

export interface CreateAgentCommand {
  username: string;
  password: string;
  displayName: string;
  maxChats: number;
  availability?: Availability;
  queueIds: string[];
}

/**
 * A user account of role agent (password stored as a scrypt hash), its agent row and its
 * queues, in one transaction. The agent is logged_out until it logs in: presence follows
 * sessions, and a new agent has none, so `available` and `not_available` are refused (409
 * AgentNotLoggedIn) rather than offering chats to nobody.
 */
@Injectable()
export class CreateAgent {
  constructor(
    private readonly agents: AgentAccountRepository,
    private readonly queues: ChatQueueRepository,
    private readonly change: ConfigurationChange,
  ) {}

  async execute(command: CreateAgentCommand): Promise<AgentAccount> {
    if (command.availability !== undefined) checkPresence(command.username, command.availability, 0);
    // Hashing is slow on purpose: done before the transaction opens, so it holds no locks meanwhile.
    const passwordHash = await hashSecret(command.password);
    return this.change.apply(async () => {
      for (const queueId of command.queueIds) referenced(await this.queues.byId(queueId), 'queue', queueId, 'queueIds');
      const id = await this.agents.create({
        username: command.username,
        passwordHash,
        displayName: command.displayName,
        maxChats: command.maxChats,
        availability: 'logged_out',
        queueIds: [...new Set(command.queueIds)],
      });
      return found(await this.agents.byId(id), 'agent', id);
    });
  }
}
