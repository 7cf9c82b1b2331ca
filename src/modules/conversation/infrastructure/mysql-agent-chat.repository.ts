import { Injectable } from '@nestjs/common';
import { activityIdOf } from './activity-lookup';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AgentChatRepository, type AssignedChat } from '../application/agent-chat.repository';
import type { ActivityState, AgentChat } from '../domain/agent-chat';
import { LAST_EVENT } from './last-event';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class MysqlAgentChatRepository extends AgentChatRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async lockChat(conversationId: string): Promise<AgentChat | undefined> {
    if (!UUID.test(conversationId)) return undefined;
    // Locked by primary key (see activityIdOf): no gap lock that would hold up new starts.
    const activityId = await activityIdOf(this.txHost.tx, conversationId.toLowerCase());
    const rows: { id: string; conversation_id: string; queue_id: string; state: ActivityState; agent_id: string | null }[] = activityId === undefined
      ? []
      : await this.txHost.tx.query('SELECT id, conversation_id, queue_id, state, agent_id FROM activity WHERE id = ? FOR UPDATE', [activityId]);
    if (rows.length === 0) return undefined;
    const r = rows[0];
    return { activityId: String(r.id), conversationId: r.conversation_id, queueId: String(r.queue_id), state: r.state, agentId: r.agent_id === null ? null : String(r.agent_id) };
  }

  async listAssigned(agentId: string): Promise<AssignedChat[]> {
    // assignedDate is the time of the chat's last assigned event, as its reading and the
    // transcript give it (assigned_at holds the database's clock, the event the recording process's);
    // createdDate is the conversation's, as the start answered it.
    const rows: { id: string; conversation_id: string; queue_id: string; subject: string | null; created_at: Date; assigned_at: Date; assigned_event_at: Date | null }[] = await this.txHost.tx.query(
      `SELECT a.id, a.conversation_id, a.queue_id, a.subject, c.created_at, a.assigned_at,
              ${LAST_EVENT('assigned')} AS assigned_event_at
         FROM activity a JOIN conversation c ON c.id = a.conversation_id
        WHERE a.agent_id = ? AND a.state = 'assigned' ORDER BY a.assigned_at, a.id`,
      [agentId],
    );
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      activityId: String(r.id),
      queueId: String(r.queue_id),
      subject: r.subject,
      createdAt: new Date(r.created_at),
      assignedAt: new Date(r.assigned_event_at ?? r.assigned_at),
    }));
  }

  async requeue(activityId: string, queueId: string): Promise<void> {
    await this.txHost.tx.query(
      "UPDATE activity SET state = 'waiting', agent_id = NULL, assigned_at = NULL, queue_id = ?, waiting_since = NOW(3) WHERE id = ? AND state = 'assigned'",
      [queueId, activityId],
    );
  }

  async reassign(activityId: string, agentId: string): Promise<void> {
    await this.txHost.tx.query("UPDATE activity SET agent_id = ?, assigned_at = NOW(3) WHERE id = ? AND state = 'assigned'", [agentId, activityId]);
  }

  async waitingCounts(queueIds: readonly string[]): Promise<Map<string, number>> {
    if (queueIds.length === 0) return new Map();
    // One range of ix_activity_waiting (queue_id, state, id) per queue: the ended chats are not read.
    const rows: { queue_id: string; n: string }[] = await this.txHost.tx.query(
      `SELECT queue_id, COUNT(*) AS n FROM activity WHERE queue_id IN (${queueIds.map(() => '?').join(',')}) AND state = 'waiting' GROUP BY queue_id`,
      [...queueIds],
    );
    return new Map(rows.map((r) => [String(r.queue_id), Number(r.n)]));
  }
}
