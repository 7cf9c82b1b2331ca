import type { AgentMessageType, CustomerMessageType, SendMessageCommand } from '../domain/send-message.command';

/** The allowance one message spent, which can be given back if the message is refused after all. */
export interface SpentAllowance {
  /** Never fails: when the counters cannot be reached, the message stays counted. */
  giveBack(): Promise<void>;
}

/**
 * How many messages a sender may send (sendmessage throttling). The send use cases count a
 * message only once they know the conversation is the sender's and open, so that a message they
 * refuse (404, 403, 409) spends no allowance and an id that names no conversation keeps no counter;
 * one refused by the check under the lock after it was counted gives its allowance back.
 */
export abstract class MessageThrottle {
  /** Counts one message of the client application into its conversation; beyond the limit, TooManyRequests. */
  abstract customer(clientApplicationId: string, command: SendMessageCommand<CustomerMessageType>): Promise<SpentAllowance>;
  /** Counts one message of the agent, across its chats; beyond the limit, TooManyRequests. */
  abstract agent(userId: string, command: SendMessageCommand<AgentMessageType>): Promise<SpentAllowance>;
}

/** Checks the conversation read under its lock; what it throws is the message's refusal. */
export type CheckUnderLock = <T>(check: () => T) => T;

/**
 * Runs a message's transaction (`send`, retried on deadlock as a whole) after its allowance was
 * spent, and gives the allowance back when the check under the conversation's lock refuses the
 * message: the chat was transferred or ended since the read the count followed.
 *
 * The message is counted before the transaction rather than under the lock, so that the
 * conversation's row is never held while the counters answer (a round trip to Redis with
 * THROTTLE_STORE=redis, up to a second when it hangs), and counted once however often a
 * deadlock runs the transaction again. Its allowance is held from the count until the
 * refusal gives it back: a message sent meanwhile, at the limit, may be refused 429.
 */
export async function givingBackIfRefused<T>(spent: SpentAllowance, send: (underLock: CheckUnderLock) => Promise<T>): Promise<T> {
  let refused = false;
  const underLock: CheckUnderLock = (check) => {
    try {
      return check();
    } catch (err) {
      refused = true;
      throw err;
    }
  };
  try {
    return await send(underLock);
  } catch (err) {
    if (refused) await spent.giveBack();
    throw err;
  }
}
