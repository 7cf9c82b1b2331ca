import { Logger } from '@nestjs/common';
import type { Outbox } from '../../../platform/outbox/outbox';
import type { AppConfig } from '../../../platform/config/app-config';
import { AppError } from '../../../platform/errors/app-error';
import { MemoryRateLimitStore } from '../../../platform/security/memory-rate-limit-store';
import { RateLimiter } from '../../../platform/security/rate-limiter';
import { NotYourConversation } from '../domain/agent-chat.errors';
import { ConversationStateConflict } from '../domain/conversation.errors';
import type { ConversationEvent } from '../domain/conversation-event';
import { SendMessageCommand } from '../domain/send-message.command';
import { SendMessageThrottle } from '../interface/send-message-throttle';
import type { CompleteConversation } from './complete-conversation/complete-conversation.use-case';
import type { ConversationEvents } from './conversation-events';
import type { CustomerTyping } from './customer-typing';
import type { ConversationParticipants, MessagingRepository } from './messaging.repository';
import { SendAgentMessage } from './send-agent-message/send-agent-message.use-case';
import { SendCustomerMessage } from './send-customer-message/send-customer-message.use-case';

const FIRST = 'c0ffee00-0000-4000-8000-000000000001';
const SECOND = 'c0ffee00-0000-4000-8000-000000000002';
const APP = { clientApplicationId: '10' };

const open = (conversationId: string, agentId = '7'): ConversationParticipants => ({
  conversationId,
  activityId: '5001',
  clientApplicationId: APP.clientApplicationId,
  state: 'assigned',
  ended: false,
  agentId,
  richText: false,
});
const ended = (conversationId: string): ConversationParticipants => ({ ...open(conversationId), state: 'completed', ended: true });

const DEADLOCK = Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });

/**
 * The send use cases with the real sendmessage throttle counting in memory (limit 1 per
 * conversation and per agent unless said), a repository whose locked reads are scripted apart
 * from its unlocked one (what another request changes between the two), and a recorder that
 * can fail its first calls with a deadlock (the transaction is then run again).
 */
function setup(options: { limit?: number; locked: Record<string, ConversationParticipants[]>; deadlocks?: number }) {
  const recorded: ConversationEvent[] = [];
  let deadlocks = options.deadlocks ?? 0;
  let locks = 0;
  const conversations = {
    participants: async (id: string) => open(id),
    lock: async (id: string) => {
      locks++;
      const script = options.locked[id];
      return script.length > 1 ? script.shift() : script[0];
    },
  } as unknown as MessagingRepository;
  const events = {
    record: async (e: ConversationEvent) => {
      if (deadlocks > 0) {
        deadlocks--;
        throw DEADLOCK;
      }
      recorded.push(e);
      return { messageId: `m${recorded.length}`, notified: true, occurredAt: new Date(), correlationId: 'r' };
    },
  } as unknown as ConversationEvents;
  const limit = options.limit ?? 1;
  const config = { SENDMESSAGE_THROTTLE_WINDOW_MS: 10_000, SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION: limit, SENDMESSAGE_THROTTLE_LIMIT_PER_AGENT: limit } as AppConfig;
  const throttle = new SendMessageThrottle(config, new RateLimiter(new MemoryRateLimitStore()));
  const txHost = { withTransaction: <T>(fn: () => Promise<T>) => fn() } as never;
  const outbox = { dispatch: () => undefined } as unknown as Outbox;
  const typing: string[] = [];
  const customerTyping = {
    started: async (id: string, at: Date) => void typing.push(`started ${id} ${at.getTime()}`),
    stopped: async (id: string) => void typing.push(`stopped ${id}`),
  } as unknown as CustomerTyping;
  return {
    recorded,
    typing,
    locks: () => locks,
    agent: new SendAgentMessage(conversations, events, outbox, txHost, throttle),
    customer: new SendCustomerMessage(conversations, events, { execute: async () => ({ messageId: 'c1', completedAt: new Date(0) }) } as unknown as CompleteConversation, txHost, throttle, customerTyping),
  };
}

const agentText = (conversationId: string) => SendMessageCommand.forAgent({ conversationId, type: 'text/plain', content: 'Hello' });
const customerText = (conversationId: string) => SendMessageCommand.forCustomer({ conversationId, type: 'text/plain', content: 'Hi' });

beforeEach(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
afterEach(() => jest.restoreAllMocks());

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('the send was not refused');
}

describe('SendAgentMessage and the sendmessage throttle', () => {
  it('gives back the allowance of a message refused under the lock (chat transferred since the first read): the next message is accepted', async () => {
    const s = setup({ locked: { [FIRST]: [open(FIRST, '8')], [SECOND]: [open(SECOND)] } });
    await expect(s.agent.execute(agentText(FIRST), '7')).rejects.toThrow(NotYourConversation);
    await expect(s.agent.execute(agentText(SECOND), '7')).resolves.toMatchObject({ conversationId: SECOND, type: 'text/plain' });
    expect(s.recorded.map((e) => e.conversationId)).toEqual([SECOND]);
  });

  it('refuses a message over the limit 429 before taking the lock, and records nothing', async () => {
    const s = setup({ locked: { [FIRST]: [open(FIRST)] } });
    await s.agent.execute(agentText(FIRST), '7');
    const err = await refusal(s.agent.execute(agentText(FIRST), '7'));
    expect([err.kind, s.recorded.length, s.locks()]).toEqual(['TooManyRequests', 1, 1]);
  });

  it('counts a message once when a deadlock runs its transaction again', async () => {
    const s = setup({ limit: 2, deadlocks: 2, locked: { [FIRST]: [open(FIRST)] } });
    await s.agent.execute(agentText(FIRST), '7');
    expect(s.locks()).toBe(3);
    await s.agent.execute(agentText(FIRST), '7');
    expect((await refusal(s.agent.execute(agentText(FIRST), '7'))).kind).toBe('TooManyRequests');
    expect(s.recorded.length).toBe(2);
  });

  it('gives back the allowance when the chat is transferred between a deadlocked transaction and its retry', async () => {
    const s = setup({ deadlocks: 1, locked: { [FIRST]: [open(FIRST), open(FIRST, '8')], [SECOND]: [open(SECOND)] } });
    await expect(s.agent.execute(agentText(FIRST), '7')).rejects.toThrow(NotYourConversation);
    await expect(s.agent.execute(agentText(SECOND), '7')).resolves.toMatchObject({ conversationId: SECOND });
  });

  it('keeps the allowance of a message whose transaction failed for another reason than the locked check', async () => {
    const s = setup({ deadlocks: 8, locked: { [FIRST]: [open(FIRST)], [SECOND]: [open(SECOND)] } });
    await expect(s.agent.execute(agentText(FIRST), '7')).rejects.toBe(DEADLOCK);
    expect((await refusal(s.agent.execute(agentText(SECOND), '7'))).kind).toBe('TooManyRequests');
  });
});

describe('SendCustomerMessage and the sendmessage throttle', () => {
  it('gives back the allowance of a message refused under the lock (conversation ended since the first read)', async () => {
    const s = setup({ locked: { [FIRST]: [ended(FIRST), open(FIRST)] } });
    await expect(s.customer.execute(customerText(FIRST), APP)).rejects.toThrow(ConversationStateConflict);
    await expect(s.customer.execute(customerText(FIRST), APP)).resolves.toMatchObject({ conversationId: FIRST, type: 'text/plain' });
    expect(s.recorded.length).toBe(1);
  });

  it('counts a message once when a deadlock runs its transaction again, and refuses the one over the limit 429', async () => {
    const s = setup({ deadlocks: 1, locked: { [FIRST]: [open(FIRST)] } });
    await s.customer.execute(customerText(FIRST), APP);
    expect(s.locks()).toBe(2);
    expect((await refusal(s.customer.execute(customerText(FIRST), APP))).kind).toBe('TooManyRequests');
    expect([s.recorded.length, s.locks()]).toEqual([1, 2]);
  });

  it('gives back the allowance when the conversation ends between a deadlocked transaction and its retry', async () => {
    const s = setup({ deadlocks: 1, locked: { [FIRST]: [open(FIRST), ended(FIRST), open(FIRST)] } });
    await expect(s.customer.execute(customerText(FIRST), APP)).rejects.toThrow(ConversationStateConflict);
    await expect(s.customer.execute(customerText(FIRST), APP)).resolves.toMatchObject({ conversationId: FIRST });
  });
});

describe("SendCustomerMessage and the customer's typing", () => {
  const typing = (conversationId: string, type: 'startTyping' | 'endTyping') => SendMessageCommand.forCustomer({ conversationId, type });

  it('notes startTyping at the time it was recorded, and stops it at endTyping, at a message and at complete', async () => {
    const s = setup({ limit: 10, locked: { [FIRST]: [open(FIRST)] } });
    const started = await s.customer.execute(typing(FIRST, 'startTyping'), APP);
    await s.customer.execute(typing(FIRST, 'endTyping'), APP);
    await s.customer.execute(customerText(FIRST), APP);
    await s.customer.execute(SendMessageCommand.forCustomer({ conversationId: FIRST, type: 'complete' }), APP);
    expect(s.typing).toEqual([`started ${FIRST} ${started.occurredAt.getTime()}`, `stopped ${FIRST}`, `stopped ${FIRST}`, `stopped ${FIRST}`]);
  });

  it('notes nothing for a typing refused under the lock, nor for one refused 429', async () => {
    const s = setup({ locked: { [FIRST]: [ended(FIRST), open(FIRST)] } });
    await expect(s.customer.execute(typing(FIRST, 'startTyping'), APP)).rejects.toThrow(ConversationStateConflict);
    await s.customer.execute(typing(FIRST, 'startTyping'), APP);
    expect((await refusal(s.customer.execute(typing(FIRST, 'startTyping'), APP))).kind).toBe('TooManyRequests');
    expect(s.typing.length).toBe(1);
  });
});
