import { Injectable } from '@nestjs/common';
import type { ChatQueue } from '../../domain/configuration';
import { ChatQueueRepository } from '../chat-queue.repository';
import { found } from '../found';

@Injectable()
export class GetQueue {
  constructor(private readonly queues: ChatQueueRepository) {}

  async execute(id: string): Promise<ChatQueue> {
    return found(await this.queues.byId(id), 'queue', id);
  }
}
