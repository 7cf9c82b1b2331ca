import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppError } from '../../../platform/errors/app-error';
import { retryOnConflict } from '../../../platform/database/transaction-retry';
import { Outbox, type StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { opensCapacity, type AgentStatus } from '../domain/agent-availability';
import { AgentRepository } from './agent.repository';
import { QueueDrain } from './queue-drain';

export type StatusChange = (current: AgentStatus) => Promise<void>;

/**
 * The shape every change of an agent's own state takes: lock the agent row, apply the
 * change, and when it lets the agent take chats it could not take before, ask for the
 * agent's queues to be drained. The drain jobs leave after commit: at once after its own, through
 * the outbox relay after a caller's.
 */
@Injectable()
export class AgentStatusChange {
  constructor(
    private readonly agents: AgentRepository,
    private readonly drain: QueueDrain,
    private readonly outbox: Outbox,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async apply(agentId: string, change: StatusChange): Promise<AgentStatus> {
    // Inside a caller's transaction (a logout's, an administrator's change) a deadlock has rolled
    // back the caller's work too: that caller runs it again, not this change on its own.
    const inCallersTransaction = this.txHost.isTransactionActive();
    const attempts = inCallersTransaction ? 1 : undefined;
    const { after, messages } = await retryOnConflict(() =>
      this.txHost.withTransaction(async () => {
        const before = await this.agents.lockStatus(agentId);
        if (!before) throw new AppError('ResourceNotFound', `agent ${agentId} does not exist`, undefined, { resource: 'agent' });
        await change(before);
        const changed = (await this.agents.status(agentId))!;
        const drains: StoredOutboxMessage[] = opensCapacity(before, changed) ? await this.drain.request(await this.agents.queuesOf(agentId)) : [];
        return { after: changed, messages: drains };
      }),
      attempts,
    );
    // Handed over now, a drain could run before the caller commits, find the agent as it was and
    // have its row marked delivered: its chats would wait for the next sweep. The caller's commit
    // makes the rows the relay's to deliver instead.
    if (!inCallersTransaction) this.outbox.dispatch(messages);
    return after;
  }
}
