import { Injectable } from '@nestjs/common';
import type { EntryPointSettings } from '../../domain/configuration';
import { QueueNotInDepartment } from '../../domain/administration.errors';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { DepartmentRepository } from '../department.repository';
import { EntryPointRepository, type NewEntryPoint } from '../entry-point.repository';
import { found, referenced } from '../found';

@Injectable()
export class CreateEntryPoint {
  constructor(
    private readonly entryPoints: EntryPointRepository,
    private readonly departments: DepartmentRepository,
    private readonly queues: ChatQueueRepository,
    private readonly change: ConfigurationChange,
  ) {}

  execute(command: NewEntryPoint): Promise<EntryPointSettings> {
    return this.change.apply(async () => {
      referenced(await this.departments.byId(command.departmentId), 'department', command.departmentId, 'departmentId');
      const queue = referenced(await this.queues.byId(command.queueId), 'queue', command.queueId, 'queueId');
      if (queue.departmentId !== command.departmentId) throw new QueueNotInDepartment(command.queueId, command.departmentId);
      const id = await this.entryPoints.create(command);
      return found(await this.entryPoints.byId(id), 'entry point', id);
    });
  }
}
