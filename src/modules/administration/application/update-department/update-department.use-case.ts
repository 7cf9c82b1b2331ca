import { Injectable } from '@nestjs/common';
import type { Department } from '../../domain/configuration';
import { ConfigurationChange } from '../configuration-change';
import { DepartmentRepository } from '../department.repository';
import { found } from '../found';
import { checkVersion, type ExpectedVersion } from '../resource-version';

@Injectable()
export class UpdateDepartment {
  constructor(private readonly departments: DepartmentRepository, private readonly change: ConfigurationChange) {}

  execute(id: string, changes: { name?: string }, expected?: ExpectedVersion): Promise<Department> {
    return this.change.apply(async () => {
      checkVersion('department', id, found(await this.departments.byId(id, { lock: true }), 'department', id), expected);
      await this.departments.update(id, changes);
      return found(await this.departments.byId(id), 'department', id);
    });
  }
}
