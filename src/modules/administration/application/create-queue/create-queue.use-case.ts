import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../platform/config/app-config';
import type { ChatQueue } from '../../domain/configuration';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { DepartmentRepository } from '../department.repository';
import { referenced } from '../found';

/** A queue of a department; without a strategy it gets ASSIGNMENT_DEFAULT_STRATEGY. */
@Injectable()
export class CreateQueue {
  constructor(
    private readonly queues: ChatQueueRepository,
    private readonly departments: DepartmentRepository,
    private readonly change: ConfigurationChange,
    private readonly config: AppConfig,
  ) {}

  execute(command: { departmentId: string; name: string; strategy?: string }): Promise<ChatQueue> {
    return this.change.apply(async () => {
      referenced(await this.departments.byId(command.departmentId), 'department', command.departmentId, 'departmentId');
      const queue = { departmentId: command.departmentId, name: command.name, strategy: command.strategy ?? this.config.ASSIGNMENT_DEFAULT_STRATEGY };
      return { id: await this.queues.create(queue), ...queue };
    });
  }
}
