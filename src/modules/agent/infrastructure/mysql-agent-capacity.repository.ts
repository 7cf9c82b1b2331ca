import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AgentCapacityRepository } from '../application/agent-capacity.repository';
import type { AssignmentStrategy } from '../domain/assignment-strategy';
import { preparedQuery } from '../../../platform/database/prepared-query';

/** More than a queue has agents in practice; the claim tries them in the strategy's order. */
const CANDIDATES = 100;

/**
 * The order of each strategy, as one expression over the queue's own setting so that the
 * candidates come in one statement: least_loaded sorts by load, then as round_robin does
 * (longest since the last assignment, then id).
 */
const STRATEGY_ORDER = `CASE q.strategy ${Object.entries({
  least_loaded: 'a.active_chats / a.max_chats',
  round_robin: '0',
} satisfies Record<AssignmentStrategy, string>).map(([strategy, key]) => `WHEN '${strategy}' THEN ${key}`).join(' ')} END ASC, a.last_assigned_at ASC, a.id ASC`;

/**
 * One slot of an agent, if it is available and below its limit: the condition repeats the
 * limit so that the database itself refuses to exceed it. Exported for the tests that hold
 * agent rows locked and wait until claims are blocked on them.
 */
export const TAKE_SLOT_SQL = `UPDATE agent SET active_chats = active_chats + 1, last_assigned_at = NOW(3)
        WHERE id = ? AND availability = 'available' AND active_chats < max_chats`;

@Injectable()
export class MysqlAgentCapacityRepository extends AgentCapacityRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async claim(queueId: string): Promise<string | undefined> {
    const tx = this.txHost.tx;
    // The order comes from a plain read: a locking read here would lock every candidate row
    // it sorts (not just the one it returns), and every concurrent claim would then skip
    // the whole queue and find no agent.
    const rows = await preparedQuery<{ id: string }[]>(
      tx,
      `SELECT a.id FROM agent a JOIN agent_queue aq ON aq.agent_id = a.id JOIN chat_queue q ON q.id = aq.queue_id
        WHERE aq.queue_id = ? AND a.availability = 'available' AND a.active_chats < a.max_chats
        ORDER BY ${STRATEGY_ORDER} LIMIT ${CANDIDATES}`,
      [queueId],
    );
    const candidates = rows.map((r) => String(r.id));
    for (const agentId of candidates) {
      // One row by primary key, re-checked on its latest committed version. SKIP LOCKED:
      // concurrent claims each take a different agent instead of queueing on the first.
      const locked = await preparedQuery<unknown[]>(
        tx,
        `SELECT id FROM agent WHERE id = ? AND availability = 'available' AND active_chats < max_chats FOR UPDATE SKIP LOCKED`,
        [agentId],
      );
      if (locked.length === 0) continue;
      if (await this.takeSlot(agentId)) return agentId;
    }
    // Every candidate was held by another claim (or is full by now). Waiting for the row lock
    // costs a few milliseconds, while giving up would leave the activity waiting for the next
    // drain: under load with few agents, most jobs would. The conditional UPDATE waits for the
    // holder to commit and then checks the limit on the committed row.
    for (const agentId of candidates) {
      if (await this.takeSlot(agentId)) return agentId;
    }
    return undefined;
  }

  claimNamed(agentId: string): Promise<boolean> {
    return this.takeSlot(agentId);
  }

  private async takeSlot(agentId: string): Promise<boolean> {
    const result = await preparedQuery<{ affectedRows: number }>(this.txHost.tx, TAKE_SLOT_SQL, [agentId]);
    return result.affectedRows === 1;
  }

  async release(agentId: string): Promise<void> {
    await this.txHost.tx.query('UPDATE agent SET active_chats = active_chats - 1 WHERE id = ? AND active_chats > 0', [agentId]);
  }

  async hasFreeAgent(queueId: string): Promise<boolean> {
    const rows: unknown[] = await this.txHost.tx.query(
      `SELECT 1 FROM agent a JOIN agent_queue aq ON aq.agent_id = a.id
        WHERE aq.queue_id = ? AND a.availability = 'available' AND a.active_chats < a.max_chats LIMIT 1`,
      [queueId],
    );
    return rows.length > 0;
  }

  async liveWorkerCount(ttlMs: number): Promise<number> {
    const rows: { n: string }[] = await this.txHost.tx.query(
      'SELECT COUNT(*) AS n FROM worker_heartbeat WHERE seen_at > NOW(3) - INTERVAL ? MICROSECOND',
      [ttlMs * 1000],
    );
    return Number(rows[0].n);
  }
}
