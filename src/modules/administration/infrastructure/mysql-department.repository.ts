import { Injectable } from '@nestjs/common';
import { DepartmentRepository } from '../application/department.repository';
import type { Department } from '../domain/configuration';
import { MysqlConfigurationTable, idOrNothing } from './mysql-query';
import type { ListPage, ListPageOf } from '../domain/list-page';

interface Row { id: string; name: string }
const toDepartment = (r: Row): Department => ({ id: String(r.id), name: r.name });

@Injectable()
export class MysqlDepartmentRepository extends MysqlConfigurationTable implements DepartmentRepository {
  list(page: ListPage): Promise<ListPageOf<Department>> {
    return this.listPage('SELECT id, name FROM department', 'id', page, toDepartment);
  }

  async byId(id: string, options: { lock?: boolean } = {}): Promise<Department | undefined> {
    if (!idOrNothing(id)) return undefined;
    const rows = await this.query<Row[]>(`SELECT id, name FROM department WHERE id = ?${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] && toDepartment(rows[0]);
  }

  create(name: string): Promise<string> {
    return this.insert('INSERT INTO department (name) VALUES (?)', [name], 'department', 'name');
  }

  update(id: string, changes: { name?: string }): Promise<void> {
    return this.updateColumns('department', id, { name: changes.name }, 'department', 'name');
  }
}
