import { Injectable } from '@nestjs/common';
import { ChatQueueRepository, type NewChatQueue } from '../application/chat-queue.repository';
import type { ChatQueue } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

interface Row { id: string; department_id: string; name: string; strategy: string }
const toQueue = (r: Row): ChatQueue => ({ id: String(r.id), departmentId: String(r.department_id), name: r.name, strategy: r.strategy });
const COLUMNS = 'id, department_id, name, strategy';

@Injectable()
export class MysqlChatQueueRepository extends MysqlConfigurationTable implements ChatQueueRepository {
  list(page: ListPage): Promise<ListPageOf<ChatQueue>> {
    return this.listPage(`SELECT ${COLUMNS} FROM chat_queue`, 'id', page, toQueue);
  }

  async byId(id: string, options: { lock?: boolean } = {}): Promise<ChatQueue | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`SELECT ${COLUMNS} FROM chat_queue WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toQueue(rows[0]);
  }

  create(queue: NewChatQueue): Promise<string> {
    return this.insert('INSERT INTO chat_queue (department_id, name, strategy) VALUES (?, ?, ?)', [queue.departmentId, queue.name, queue.strategy], 'queue', 'name');
  }

  update(id: string, changes: Partial<Pick<NewChatQueue, 'name' | 'strategy'>>): Promise<void> {
    return this.updateColumns('chat_queue', id, { name: changes.name, strategy: changes.strategy }, 'queue', 'name');
  }
}
