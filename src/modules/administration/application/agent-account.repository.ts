import type { AgentAccount, Availability } from '../domain/configuration';
import type { ListPage, ListPageOf } from '../domain/list-page';

export interface NewAgentAccount {
  username: string;
  passwordHash: string;
  displayName: string;
  maxChats: number;
  availability: Availability;
  queueIds: string[];
}

export type AgentAccountChanges = Partial<Omit<NewAgentAccount, 'username'>>;

export interface AgentChatLoad {
  maxChats: number;
  activeChats: number;
}

export abstract class AgentAccountRepository {
  abstract list(page: ListPage): Promise<ListPageOf<AgentAccount>>;
  abstract byId(id: string): Promise<AgentAccount | undefined>;
  /** A user account of role agent, its agent row and its queues. Throws ResourceAlreadyExists when the user name is taken. */
  abstract create(agent: NewAgentAccount): Promise<string>;
  /** `queueIds`, when given, replaces the agent's queues. */
  abstract update(id: string, changes: AgentAccountChanges): Promise<void>;
  /**
   * The agent's limit and open chats, its row locked until the transaction ends: an assignment
   * takes capacity by updating that row, so it waits, then sees whatever limit was set; and the
   * agent's queue rows are replaced only under this lock, so two changes never interleave.
   */
  abstract lockChatLoad(id: string): Promise<AgentChatLoad | undefined>;
}
