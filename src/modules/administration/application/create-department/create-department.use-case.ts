import { Injectable } from '@nestjs/common';
import type { Department } from '../../domain/configuration';
import { ConfigurationChange } from '../configuration-change';
import { DepartmentRepository } from '../department.repository';

@Injectable()
export class CreateDepartment {
  constructor(private readonly departments: DepartmentRepository, private readonly change: ConfigurationChange) {}

  execute(command: { name: string }): Promise<Department> {
    return this.change.apply(async () => {
      const id = await this.departments.create(command.name);
      return { id, name: command.name };
    });
  }
}
