import { Injectable } from '@nestjs/common';
import type { ChatQueue } from '../../domain/configuration';
import { ChatQueueRepository } from '../chat-queue.repository';
import { ConfigurationChange } from '../configuration-change';
import { found } from '../found';
import { checkVersion, type ExpectedVersion } from '../resource-version';

/** Name and strategy; a queue stays in its department, since its entry points and agents belong there. */
@Injectable()
export class UpdateQueue {
  constructor(private readonly queues: ChatQueueRepository, private readonly change: ConfigurationChange) {}

  execute(id: string, changes: { name?: string; strategy?: string }, expected?: ExpectedVersion): Promise<ChatQueue> {
    return this.change.apply(async () => {
      checkVersion('queue', id, found(await this.queues.byId(id, { lock: true }), 'queue', id), expected);
      await this.queues.update(id, changes);
      return found(await this.queues.byId(id), 'queue', id);
    });
  }
}
