import type { AgentMessageType, CustomerMessageType, SendMessageCommand } from '../domain/send-message.command';

/**
 * How many messages a sender may send (sendmessage throttling). The send use cases count a
 * message only once they know the conversation is the sender's and open, so that a message they
 * refuse (404, 403, 409) spends no allowance and an id that names no conversation keeps no counter.
 */
export abstract class MessageThrottle {
  /** Counts one message of the client application into its conversation; beyond the limit, TooManyRequests. */
  abstract customer(clientApplicationId: string, command: SendMessageCommand<CustomerMessageType>): Promise<void>;
  /** Counts one message of the agent, across its chats; beyond the limit, TooManyRequests. */
  abstract agent(userId: string, command: SendMessageCommand<AgentMessageType>): Promise<void>;
}
