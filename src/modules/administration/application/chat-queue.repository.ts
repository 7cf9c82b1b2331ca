import type { ChatQueue } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export type NewChatQueue = Omit<ChatQueue, 'id'>;

export abstract class ChatQueueRepository {
  abstract list(page: ListPage): Promise<ListPageOf<ChatQueue>>;
  abstract byId(id: string, options?: { lock?: boolean }): Promise<ChatQueue | undefined>;
  /** Throws ResourceAlreadyExists when the department already has a queue of that name. */
  abstract create(queue: NewChatQueue): Promise<string>;
  abstract update(id: string, changes: Partial<Pick<NewChatQueue, 'name' | 'strategy'>>): Promise<void>;
}
