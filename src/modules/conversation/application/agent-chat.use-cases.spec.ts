import type { ClaimNamedAgent, ReleaseAgentCapacity, RequestQueueDrain } from '../../agent';
import { AgentUnavailable } from '../../agent/domain/agent.errors';
import type { Outbox, StoredOutboxMessage } from '../../../platform/outbox/outbox';
import { NotYourConversation } from '../domain/agent-chat.errors';
import type { AgentChat } from '../domain/agent-chat';
import type { ConversationEvent } from '../domain/conversation-event';
import { TransferChatCommand } from '../domain/transfer-chat.command';
import type { AgentChatRepository } from './agent-chat.repository';
import { CompleteChat } from './complete-chat/complete-chat.use-case';
import { ConversationCompletion } from './conversation-completion';
import type { CustomerTyping } from './customer-typing';
import type { ConversationEvents } from './conversation-events';
import type { MessagingRepository } from './messaging.repository';
import { TransferChat } from './transfer-chat/transfer-chat.use-case';

const CONVERSATION = 'c0ffee00-0000-4000-8000-000000000001';
const msg = (id: string) => ({ id }) as StoredOutboxMessage;

function setup(chat: AgentChat) {
  const calls: string[] = [];
  const events: ConversationEvent[] = [];
  const dispatched: StoredOutboxMessage[] = [];
  const chats = {
    lockChat: async () => chat,
    requeue: async (id: string, queueId: string) => void calls.push(`requeue ${id} ${queueId}`),
    reassign: async (id: string, agentId: string) => void calls.push(`reassign ${id} ${agentId}`),
  } as unknown as AgentChatRepository;
  const release = { execute: async (agentId: string) => (calls.push(`release ${agentId}`), [msg(`drain-after-${agentId}`)]) } as unknown as ReleaseAgentCapacity;
  const claim = {
    execute: async (agentId: string) => {
      if (agentId === '9') throw new AgentUnavailable(agentId);
      calls.push(`claim ${agentId}`);
    },
  } as unknown as ClaimNamedAgent;
  const drainQueue = { execute: async (queueId: string) => (calls.push(`drain ${queueId}`), [msg(`drain-${queueId}`)]) } as unknown as RequestQueueDrain;
  const recorder = {
    record: async (e: ConversationEvent) => {
      events.push(e);
      return { messageId: `e${events.length}`, notified: true, outboxMessage: msg(`webhook-${e.type}`) };
    },
  } as unknown as ConversationEvents;
  const conversations = { markCompleted: async (id: string) => void calls.push(`completed ${id}`) } as unknown as MessagingRepository;
  const outbox = { dispatch: (m: StoredOutboxMessage[]) => dispatched.push(...m) } as unknown as Outbox;
  const txHost = { withTransaction: <T>(fn: () => Promise<T>) => fn() } as never;
  return {
    calls,
    events,
    dispatched,
    complete: new CompleteChat(chats, new ConversationCompletion(conversations, release, recorder), outbox, txHost, {
      stopped: async (id: string) => void calls.push(`typing stopped ${id}`),
    } as unknown as CustomerTyping),
    transfer: new TransferChat(chats, claim, release, drainQueue, recorder, outbox, txHost),
  };
}

const mine: AgentChat = { activityId: '5001', conversationId: CONVERSATION, queueId: '1', state: 'assigned', agentId: '7' };

describe('CompleteChat', () => {
  it('completes, frees the slot, records complete, and dispatches the drain and the webhook after commit', async () => {
    const s = setup(mine);
    expect(await s.complete.execute({ conversationId: CONVERSATION, agentId: '7' })).toEqual({ conversationId: CONVERSATION, state: 'completed' });
    expect(s.calls).toEqual(['completed 5001', 'release 7', `typing stopped ${CONVERSATION}`]);
    expect(s.events).toEqual([{ conversationId: CONVERSATION, type: 'complete', sender: { type: 'user', agentId: '7' } }]);
    expect(s.dispatched.map((m) => m.id)).toEqual(['drain-after-7', 'webhook-complete']);
  });

  it("changes nothing on another agent's chat", async () => {
    const s = setup(mine);
    await expect(s.complete.execute({ conversationId: CONVERSATION, agentId: '8' })).rejects.toThrow(NotYourConversation);
    expect([s.calls, s.events, s.dispatched]).toEqual([[], [], []]);
  });
});

describe('TransferChat', () => {
  it('to a queue: back to waiting there, the queue drained, the first agent freed, transfer recorded', async () => {
    const s = setup(mine);
    const result = await s.transfer.execute(TransferChatCommand.create({ conversationId: CONVERSATION, fromAgentId: '7', queueId: '2' }));
    expect(result).toEqual({ conversationId: CONVERSATION, state: 'waiting', queueId: '2', agentId: null });
    expect(s.calls).toEqual(['drain 2', 'requeue 5001 2', 'release 7']);
    expect(s.events.map((e) => [e.type, e.sender, e.content])).toEqual([['transfer', { type: 'user', agentId: '7' }, 'queue:2']]);
    expect(s.dispatched.map((m) => m.id)).toEqual(['drain-2', 'drain-after-7', 'webhook-transfer']);
  });

  it("to an agent: claims that agent's slot, then frees the first agent; transfer and assigned recorded", async () => {
    const s = setup(mine);
    const result = await s.transfer.execute(TransferChatCommand.create({ conversationId: CONVERSATION, fromAgentId: '7', agentId: '8' }));
    expect(result).toEqual({ conversationId: CONVERSATION, state: 'assigned', queueId: '1', agentId: '8' });
    expect(s.calls).toEqual(['claim 8', 'reassign 5001 8', 'release 7']);
    expect(s.events.map((e) => [e.type, e.sender])).toEqual([['transfer', { type: 'user', agentId: '7' }], ['assigned', { type: 'user', agentId: '8' }]]);
  });

  it('to an agent that cannot take it: refused, nothing changed or sent', async () => {
    const s = setup(mine);
    await expect(s.transfer.execute(TransferChatCommand.create({ conversationId: CONVERSATION, fromAgentId: '7', agentId: '9' }))).rejects.toThrow(AgentUnavailable);
    expect([s.calls, s.events, s.dispatched]).toEqual([[], [], []]);
  });
});
