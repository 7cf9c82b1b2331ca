import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AgentCapacityRepository } from '../application/agent-capacity.repository';
import type { AssignmentStrategy } from '../domain/assignment-strategy';

const ORDER_BY: Record<AssignmentStrategy, string> = {
  least_loaded: 'a.active_chats / a.max_chats ASC, a.last_assigned_at ASC, a.id ASC',
  round_robin: 'a.last_assigned_at ASC, a.id ASC',
};

/** Agents tried per claim before the activity is left waiting for the next chance. */
const MAX_CLAIM_ATTEMPTS = 5;

@Injectable()
export class MysqlAgentCapacityRepository extends AgentCapacityRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async claim(queueId: string): Promise<string | undefined> {
    const tx = this.txHost.tx;
    const queues: { strategy: AssignmentStrategy }[] = await tx.query('SELECT strategy FROM chat_queue WHERE id = ?', [queueId]);
    if (queues.length === 0) return undefined;
    // The candidate is read without locks: a locking read sorted by load locks every agent it
    // sorts, so concurrent assignments of a queue found them all locked and gave up although
    // agents had room. The conditional UPDATE below takes the one row lock and re-checks the
    // limit on the latest row; a lost race moves on to the next candidate.
    const tried: string[] = [];
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const candidates: { id: string }[] = await tx.query(
        `SELECT a.id FROM agent a JOIN agent_queue aq ON aq.agent_id = a.id
          WHERE aq.queue_id = ? AND a.availability = 'available' AND a.active_chats < a.max_chats${tried.length > 0 ? ` AND a.id NOT IN (${tried.map(() => '?').join(',')})` : ''}
          ORDER BY ${ORDER_BY[queues[0].strategy]} LIMIT 1`,
        [queueId, ...tried],
      );
      if (candidates.length === 0) return undefined;
      const agentId = String(candidates[0].id);
      // The condition repeats the limit so the database itself refuses to exceed it.
      const result: { affectedRows: number } = await tx.query(
        `UPDATE agent SET active_chats = active_chats + 1, last_assigned_at = NOW(3)
          WHERE id = ? AND availability = 'available' AND active_chats < max_chats`,
        [agentId],
      );
      if (result.affectedRows === 1) return agentId;
      tried.push(agentId);
    }
    return undefined;
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
