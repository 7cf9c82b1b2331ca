import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AgentCapacityRepository, type Claim } from '../application/agent-capacity.repository';
import type { AgentOffer, Availability } from '../domain/agent-availability';
import type { AssignmentStrategy } from '../domain/assignment-strategy';
import { preparedQuery } from '../../../platform/database/prepared-query';
import { liveWorkersQuery } from '../../../platform/health/live-workers';

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
 * Whether an agent can take one more chat: every claim takes a slot on this condition, and the
 * listing of transfer targets lists the agents that meet it.
 */
const FIT = "a.availability = 'available' AND a.active_chats < a.max_chats";

/**
 * The row still has what decided its place in the strategy's order when it was read: its
 * load and last assignment for least_loaded, its last assignment alone for round_robin (a
 * chat completed meanwhile does not change whose turn it is).
 */
const AS_READ = "a.last_assigned_at = ? AND (? = 'round_robin' OR (a.active_chats = ? AND a.max_chats = ?))";
const asRead = (c: Candidate): unknown[] => [c.lastAssignedAt, c.strategy, c.activeChats, c.maxChats];

/** Rounds of a claim whose agents were held or changed: each follows another claim's commit. */
const MAX_ROUNDS = 5;

interface Candidate {
  id: string;
  strategy: AssignmentStrategy;
  activeChats: number;
  maxChats: number;
  lastAssignedAt: string;
}

const TAKE = 'SET a.active_chats = a.active_chats + 1, a.last_assigned_at = NOW(3)';

/**
 * One slot of an agent, if it is available and below its limit: the condition repeats the
 * limit so that the database itself refuses to exceed it.
 */
const TAKE_SLOT_SQL = `UPDATE agent a ${TAKE} WHERE a.id = ? AND ${FIT}`;

/**
 * The agent joined to its membership of the queue (parameters: queue, agent). Read with a
 * lock, the membership is the latest committed one: an agent taken out of the queue while a
 * claim had it among its candidates is not given the queue's chat. The change of an agent's
 * queues holds the agent's row to its commit, so a claim that waited for that row finds the
 * membership as the change left it.
 */
const AGENT_IN_QUEUE = 'agent a STRAIGHT_JOIN agent_queue aq ON aq.agent_id = a.id AND aq.queue_id = ?';

/**
 * A slot of an agent for a chat of a queue it belongs to. Exported for the tests that hold
 * agent rows locked and wait until claims are blocked on them.
 */
export const TAKE_QUEUE_SLOT_SQL = `UPDATE ${AGENT_IN_QUEUE} ${TAKE} WHERE a.id = ? AND ${FIT}`;

@Injectable()
export class MysqlAgentCapacityRepository extends AgentCapacityRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async claim(queueId: string, mayWait: boolean): Promise<Claim> {
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const candidates = await this.candidates(queueId);
      if (candidates.length === 0) return { outcome: 'no-agent' };
      const first = candidates[0];
      for (const candidate of candidates) {
        // Under least_loaded only an agent as loaded as the first is taken. One above it is not,
        // even while every agent at the first's load is held: a row found held is not always
        // being given a chat (another claim's locking read of a row that changed since it read
        // the order holds it for an instant, a holder may roll back), and taking the next one
        // then left agents two chats apart at the end of a burst. The claim waits below instead.
        if (candidate !== first && first.strategy === 'least_loaded' && candidate.activeChats * first.maxChats > first.activeChats * candidate.maxChats) break;
        // One row by primary key, re-checked on its latest committed version. SKIP LOCKED:
        // concurrent claims each take a different agent instead of queueing on the first. A
        // row changed since the order was read is passed over too: its place in the order
        // may be another by now.
        const locked = await preparedQuery<unknown[]>(this.txHost.tx, `SELECT a.id FROM ${AGENT_IN_QUEUE} WHERE a.id = ? AND ${FIT} AND ${AS_READ} FOR UPDATE SKIP LOCKED`, [
          queueId,
          candidate.id,
          ...asRead(candidate),
        ]);
        if (locked.length > 0 && (await this.takeSlot(candidate.id))) return { outcome: 'claimed', agentId: candidate.id };
      }
      // The agents to take are held by other claims (or changed). Waiting for the first one costs
      // a few milliseconds, while giving up would leave the activity waiting for the next drain:
      // under load with few agents, most jobs would. A transaction that holds agent rows itself
      // does not wait (two such would wait for each other); its caller commits and goes on.
      if (!mayWait) return { outcome: 'agents-held' };
      // The conditional UPDATE waits for the holder to commit, then takes the slot only if the
      // row is as read: when the holder took a chat itself, this agent may no longer come first,
      // and the order is read again (taking it anyway piled a burst's chats on the first agents).
      if (await this.takeQueueSlotAsRead(queueId, first)) return { outcome: 'claimed', agentId: first.id };
    }
    // Still contended after MAX_ROUNDS, each of which followed another claim's commit: any
    // slot rather than none, in the order of the latest committed state.
    for (const candidate of await this.candidates(queueId)) {
      if (await this.takeQueueSlot(queueId, candidate.id)) return { outcome: 'claimed', agentId: candidate.id };
    }
    return { outcome: 'no-agent' };
  }

  /**
   * The order comes from a plain read: a locking read here would lock every candidate row
   * it sorts (not just the one it returns), and every concurrent claim would then skip the
   * whole queue and find no agent.
   */
  private async candidates(queueId: string): Promise<Candidate[]> {
    const rows = await preparedQuery<{ id: string; strategy: AssignmentStrategy; active_chats: number; max_chats: number; last_assigned_at: string }[]>(
      this.txHost.tx,
      `SELECT a.id, q.strategy, a.active_chats, a.max_chats, CAST(a.last_assigned_at AS CHAR) AS last_assigned_at
        FROM agent a JOIN agent_queue aq ON aq.agent_id = a.id JOIN chat_queue q ON q.id = aq.queue_id
        WHERE aq.queue_id = ? AND ${FIT}
        ORDER BY ${STRATEGY_ORDER} LIMIT ${CANDIDATES}`,
      [queueId],
    );
    return rows.map((r) => ({ id: String(r.id), strategy: r.strategy, activeChats: Number(r.active_chats), maxChats: Number(r.max_chats), lastAssignedAt: String(r.last_assigned_at) }));
  }

  /** Waits for the agent's row if another transaction holds it, then takes the slot if the agent is still as read. */
  private async takeQueueSlotAsRead(queueId: string, candidate: Candidate): Promise<boolean> {
    const result = await preparedQuery<{ affectedRows: number }>(this.txHost.tx, `${TAKE_QUEUE_SLOT_SQL} AND ${AS_READ}`, [queueId, candidate.id, ...asRead(candidate)]);
    return result.affectedRows === 1;
  }

  private async takeQueueSlot(queueId: string, agentId: string): Promise<boolean> {
    const result = await preparedQuery<{ affectedRows: number }>(this.txHost.tx, TAKE_QUEUE_SLOT_SQL, [queueId, agentId]);
    return result.affectedRows === 1;
  }

  claimNamed(agentId: string): Promise<boolean> {
    return this.takeSlot(agentId);
  }

  async agentsTakingChats(): Promise<AgentOffer[]> {
    const rows: { id: string; display_name: string; availability: Availability; max_chats: number; active_chats: number }[] = await this.txHost.tx.query(
      `SELECT a.id, u.display_name, a.availability, a.max_chats, a.active_chats
         FROM agent a JOIN user_account u ON u.id = a.id
        WHERE ${FIT} ORDER BY u.display_name, a.id`,
    );
    return rows.map((r) => ({ agentId: String(r.id), displayName: r.display_name, availability: r.availability, maxChats: Number(r.max_chats), activeChats: Number(r.active_chats) }));
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
        WHERE aq.queue_id = ? AND ${FIT} LIMIT 1`,
      [queueId],
    );
    return rows.length > 0;
  }

  async liveWorkerCount(ttlMs: number): Promise<number> {
    const rows: { n: string }[] = await this.txHost.tx.query(...liveWorkersQuery(ttlMs));
    return Number(rows[0].n);
  }
}
