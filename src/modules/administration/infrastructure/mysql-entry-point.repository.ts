import { Injectable } from '@nestjs/common';
import { EntryPointRepository, type NewEntryPoint } from '../application/entry-point.repository';
import type { EntryPointSettings } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

interface Row { id: string; department_id: string; queue_id: string; name: string; active: number; last_modified: Date }
const COLUMNS = 'id, department_id, queue_id, name, active, last_modified';
const toEntryPoint = (r: Row): EntryPointSettings => ({
  id: String(r.id),
  departmentId: String(r.department_id),
  queueId: String(r.queue_id),
  name: r.name,
  active: Number(r.active) === 1,
  lastModified: new Date(r.last_modified),
});

/**
 * lastModified moves strictly forward on every change, even two changes within one
 * millisecond, because clients compare it for equality to detect a change.
 */
const BUMP_LAST_MODIFIED = 'last_modified = GREATEST(NOW(3), last_modified + INTERVAL 1000 MICROSECOND)';

@Injectable()
export class MysqlEntryPointRepository extends MysqlConfigurationTable implements EntryPointRepository {
  list(page: ListPage): Promise<ListPageOf<EntryPointSettings>> {
    return this.listPage(`SELECT ${COLUMNS} FROM entry_point`, 'id', page, toEntryPoint);
  }

  async byId(id: string, options: { lock?: boolean } = {}): Promise<EntryPointSettings | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`SELECT ${COLUMNS} FROM entry_point WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toEntryPoint(rows[0]);
  }

  create(e: NewEntryPoint): Promise<string> {
    return this.insert(
      'INSERT INTO entry_point (department_id, queue_id, name, active, last_modified) VALUES (?, ?, ?, ?, NOW(3))',
      [e.departmentId, e.queueId, e.name, e.active ? 1 : 0],
      'entry point',
      'name',
    );
  }

  update(id: string, c: Partial<NewEntryPoint>): Promise<void> {
    const active = c.active === undefined ? undefined : c.active ? 1 : 0;
    return this.updateColumns('entry_point', id, { department_id: c.departmentId, queue_id: c.queueId, name: c.name, active }, 'entry point', 'name', BUMP_LAST_MODIFIED);
  }
}
