import { Injectable } from '@nestjs/common';
import type { Department } from '../../domain/configuration';
import { DepartmentRepository } from '../department.repository';
import { found } from '../found';

@Injectable()
export class GetDepartment {
  constructor(private readonly departments: DepartmentRepository) {}

  async execute(id: string): Promise<Department> {
    return found(await this.departments.byId(id), 'department', id);
  }
}
