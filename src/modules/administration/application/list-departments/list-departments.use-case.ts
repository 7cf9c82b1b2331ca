import { Injectable } from '@nestjs/common';
import type { Department } from '../../domain/configuration';
import { DepartmentRepository } from '../department.repository';

@Injectable()
export class ListDepartments {
  constructor(private readonly departments: DepartmentRepository) {}

  execute(): Promise<Department[]> {
    return this.departments.list();
  }
}
