import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AgentRepository, type QueueSummary } from '../application/agent.repository';
import type { AgentStatus, Availability } from '../domain/agent-availability';

interface AgentRow { id: string; availability: Availability; max_chats: number; active_chats: number }

const toStatus = (r: AgentRow): AgentStatus => ({ agentId: String(r.id), availability: r.availability, maxChats: Number(r.max_chats), activeChats: Number(r.active_chats) });

@Injectable()
export class MysqlAgentRepository extends AgentRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async lockStatus(agentId: string): Promise<AgentStatus | undefined> {
    const rows: AgentRow[] = await this.txHost.tx.query('SELECT id, availability, max_chats, active_chats FROM agent WHERE id = ? FOR UPDATE', [agentId]);
    return rows.length === 0 ? undefined : toStatus(rows[0]);
  }

  async status(agentId: string): Promise<AgentStatus | undefined> {
    const rows: AgentRow[] = await this.txHost.tx.query('SELECT id, availability, max_chats, active_chats FROM agent WHERE id = ?', [agentId]);
    return rows.length === 0 ? undefined : toStatus(rows[0]);
  }

  async setAvailability(agentId: string, availability: Availability): Promise<void> {
    await this.txHost.tx.query('UPDATE agent SET availability = ? WHERE id = ?', [availability, agentId]);
  }

  async setMaxChats(agentId: string, maxChats: number): Promise<void> {
    // The condition keeps the invariant even if a caller forgot to lock the row first.
    await this.txHost.tx.query('UPDATE agent SET max_chats = ? WHERE id = ? AND active_chats <= ?', [maxChats, agentId, maxChats]);
  }

  async queuesOf(agentId: string): Promise<string[]> {
    const rows: { queue_id: string }[] = await this.txHost.tx.query('SELECT queue_id FROM agent_queue WHERE agent_id = ? ORDER BY queue_id', [agentId]);
    return rows.map((r) => String(r.queue_id));
  }

  async queueExists(queueId: string): Promise<boolean> {
    if (!/^\d{1,19}$/.test(queueId)) return false;
    const rows: unknown[] = await this.txHost.tx.query('SELECT 1 FROM chat_queue WHERE id = ?', [queueId]);
    return rows.length > 0;
  }

  async allQueueIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.txHost.tx.query('SELECT id FROM chat_queue ORDER BY id');
    return rows.map((r) => String(r.id));
  }

  async allQueues(): Promise<QueueSummary[]> {
    const rows: { id: string; name: string; department_id: string; department_name: string }[] = await this.txHost.tx.query(
      'SELECT q.id, q.name, q.department_id, d.name AS department_name FROM chat_queue q JOIN department d ON d.id = q.department_id ORDER BY q.id',
    );
    return rows.map((r) => ({ queueId: String(r.id), name: r.name, department: { departmentId: String(r.department_id), name: r.department_name } }));
  }
}
