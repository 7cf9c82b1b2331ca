import { Injectable } from '@nestjs/common';
import type { Department } from '../../domain/configuration';
import { DepartmentRepository } from '../department.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListDepartments {
  constructor(private readonly departments: DepartmentRepository) {}

  execute(page: ListPage): Promise<ListPageOf<Department>> {
    return this.departments.list(page);
  }
}
