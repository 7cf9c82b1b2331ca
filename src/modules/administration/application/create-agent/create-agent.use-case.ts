import { Injectable } from '@nestjs/common';
import { Outbox } from '../../../../platform/outbox/outbox';
import { hashSecret } from '../../../../platform/security/secret-hasher';
import { RequestOpenedCapacityDrain } from '../../../agent';
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
 * queues, in one transaction. An agent created available takes the chats already waiting in
 * its queues at once: the same transaction asks for them to be drained.
 */
@Injectable()
export class CreateAgent {
  constructor(
    private readonly agents: AgentAccountRepository,
    private readonly queues: ChatQueueRepository,
    private readonly change: ConfigurationChange,
    private readonly openedCapacity: RequestOpenedCapacityDrain,
    private readonly outbox: Outbox,
  ) {}

  async execute(command: CreateAgentCommand): Promise<AgentAccount> {
    // Hashing is slow on purpose: done before the transaction opens, so it holds no locks meanwhile.
    const passwordHash = await hashSecret(command.password);
    const { agent, drains } = await this.change.apply(async () => {
      for (const queueId of command.queueIds) referenced(await this.queues.byId(queueId), 'queue', queueId, 'queueIds');
      const id = await this.agents.create({
        username: command.username,
        passwordHash,
        displayName: command.displayName,
        maxChats: command.maxChats,
        availability: command.availability ?? 'logged_out',
        queueIds: [...new Set(command.queueIds)],
      });
      return { agent: found(await this.agents.byId(id), 'agent', id), drains: await this.openedCapacity.execute({ agentId: id }) };
    });
    this.outbox.dispatch(drains);
    return agent;
  }
}
