import { Injectable } from '@nestjs/common';
import type { ChatQueue } from '../../domain/configuration';
import { ChatQueueRepository } from '../chat-queue.repository';

@Injectable()
export class ListQueues {
  constructor(private readonly queues: ChatQueueRepository) {}

  execute(): Promise<ChatQueue[]> {
    return this.queues.list();
  }
}
