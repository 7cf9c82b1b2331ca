import { Injectable } from '@nestjs/common';
import type { ChatQueue } from '../../domain/configuration';
import { ChatQueueRepository } from '../chat-queue.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListQueues {
  constructor(private readonly queues: ChatQueueRepository) {}

  execute(page: ListPage): Promise<ListPageOf<ChatQueue>> {
    return this.queues.list(page);
  }
}
