import { Injectable } from '@nestjs/common';
import { AgentAccountRepository, type AgentAccountChanges, type AgentChatLoad, type NewAgentAccount } from '../application/agent-account.repository';
import type { AgentAccount, Availability } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

interface Row {
  id: string;
  username: string;
  display_name: string;
  max_chats: number;
  active_chats: number;
  availability: Availability;
  queue_ids: string | null;
}

const SELECT = `SELECT u.id, u.username, u.display_name, a.max_chats, a.active_chats, a.availability,
                       (SELECT GROUP_CONCAT(q.queue_id ORDER BY q.queue_id) FROM agent_queue q WHERE q.agent_id = a.id) AS queue_ids
                  FROM user_account u JOIN agent a ON a.id = u.id`;

const toAgent = (r: Row): AgentAccount => ({
  id: String(r.id),
  username: r.username,
  displayName: r.display_name,
  maxChats: Number(r.max_chats),
  activeChats: Number(r.active_chats),
  availability: r.availability,
  queueIds: r.queue_ids ? String(r.queue_ids).split(',') : [],
});

@Injectable()
export class MysqlAgentAccountRepository extends MysqlConfigurationTable implements AgentAccountRepository {
  list(page: ListPage): Promise<ListPageOf<AgentAccount>> {
    return this.listPage(SELECT, 'u.id', page, toAgent);
  }

  async byId(id: string): Promise<AgentAccount | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`${SELECT} WHERE u.id = ?`, [id]);
    return rows[0] && toAgent(rows[0]);
  }

  async create(agent: NewAgentAccount): Promise<string> {
    const id = await this.insert(
      "INSERT INTO user_account (role, username, password_hash, display_name) VALUES ('agent', ?, ?, ?)",
      [agent.username, agent.passwordHash, agent.displayName],
      'user',
      'username',
    );
    await this.query('INSERT INTO agent (id, availability, max_chats) VALUES (?, ?, ?)', [id, agent.availability, agent.maxChats]);
    await this.replaceQueues(id, agent.queueIds);
    return id;
  }

  async update(id: string, c: AgentAccountChanges): Promise<void> {
    await this.updateColumns('user_account', id, { password_hash: c.passwordHash, display_name: c.displayName }, 'user', 'username');
    await this.updateColumns('agent', id, { max_chats: c.maxChats, availability: c.availability }, 'agent', 'id');
    if (c.queueIds !== undefined) await this.replaceQueues(id, c.queueIds);
  }

  async lockChatLoad(id: string): Promise<AgentChatLoad | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Pick<Row, 'max_chats' | 'active_chats'>[]>('SELECT max_chats, active_chats FROM agent WHERE id = ? FOR UPDATE', [id]);
    return rows[0] && { maxChats: Number(rows[0].max_chats), activeChats: Number(rows[0].active_chats) };
  }

  private async replaceQueues(agentId: string, queueIds: string[]): Promise<void> {
    await this.query('DELETE FROM agent_queue WHERE agent_id = ?', [agentId]);
    if (queueIds.length === 0) return;
    await this.query(`INSERT INTO agent_queue (agent_id, queue_id) VALUES ${queueIds.map(() => '(?, ?)').join(', ')}`, queueIds.flatMap((q) => [agentId, q]));
  }
}
