import { Injectable } from '@nestjs/common';
import type { EntryPointSettings } from '../../domain/configuration';
import { QueueNotInDepartment } from '../../domain/administration.errors';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { DepartmentRepository } from '../department.repository';
import { EntryPointRepository, type NewEntryPoint } from '../entry-point.repository';
import { found, referenced } from '../found';
import { checkVersion, type ExpectedVersion } from '../resource-version';

/**
 * Any change moves the entry point's lastModified forward: a client still holding the old
 * date is refused at its next start (409) and rereads the configuration. A request that
 * changes nothing (an administration form saved as it was) leaves it, so that clients are
 * not sent back to reread a configuration that is the same.
 */
@Injectable()
export class UpdateEntryPoint {
  constructor(
    private readonly entryPoints: EntryPointRepository,
    private readonly departments: DepartmentRepository,
    private readonly queues: ChatQueueRepository,
    private readonly change: ConfigurationChange,
  ) {}

  execute(id: string, changes: Partial<NewEntryPoint>, expected?: ExpectedVersion): Promise<EntryPointSettings> {
    return this.change.apply(async () => {
      // Locked: a concurrent change of this entry point waits, so the rule is checked on the
      // row this change writes to, not on one another change is replacing.
      const current = found(await this.entryPoints.byId(id, { lock: true }), 'entry point', id);
      checkVersion('entry point', id, current, expected);
      if (!changesAnything(current, changes)) return current;
      const departmentId = changes.departmentId ?? current.departmentId;
      const queueId = changes.queueId ?? current.queueId;
      if (changes.departmentId !== undefined) referenced(await this.departments.byId(departmentId), 'department', departmentId, 'departmentId');
      const queue = referenced(await this.queues.byId(queueId), 'queue', queueId, 'queueId');
      if (queue.departmentId !== departmentId) throw new QueueNotInDepartment(queueId, departmentId, changes.queueId === undefined ? 'departmentId' : 'queueId');
      await this.entryPoints.update(id, changes);
      return found(await this.entryPoints.byId(id), 'entry point', id);
    });
  }
}

function changesAnything(current: EntryPointSettings, changes: Partial<NewEntryPoint>): boolean {
  return (Object.keys(changes) as (keyof NewEntryPoint)[]).some((member) => changes[member] !== undefined && changes[member] !== current[member]);
}
