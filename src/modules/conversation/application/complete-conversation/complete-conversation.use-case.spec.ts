import type { Outbox } from '../../../../platform/outbox/outbox';
import { ConversationNotFound, ConversationStateConflict } from '../../domain/conversation.errors';
import type { ConversationCompletion } from '../conversation-completion';
import type { ActivityState, ConversationParticipants, MessagingRepository } from '../messaging.repository';
import { CompleteConversation } from './complete-conversation.use-case';

function world(state: ActivityState, ended: boolean) {
  const completions: string[] = [];
  const participants: ConversationParticipants = { conversationId: 'c-1', activityId: '5', clientApplicationId: '3', state, ended, agentId: null, richText: true };
  const conversations = { lock: async () => participants } as unknown as MessagingRepository;
  const completion = {
    complete: async (c: { conversationId: string }) => {
      completions.push(c.conversationId);
      return { recorded: { messageId: 'm-1', notified: true, occurredAt: new Date(0), correlationId: 'x' }, messages: [] };
    },
  } as unknown as ConversationCompletion;
  const outbox = { dispatch: () => undefined } as unknown as Outbox;
  const txHost = { withTransaction: <T>(...args: unknown[]) => (args[args.length - 1] as () => Promise<T>)() };
  return { completions, complete: new CompleteConversation(conversations, completion, outbox, txHost as never) };
}

const APPLICATION = '3';

describe('CompleteConversation', () => {
  it.each([
    ['completed', true],
    ['unassigned', true],
  ] as const)('refuses to end a %s conversation that has ended, and records nothing', async (state, ended) => {
    const { completions, complete } = world(state, ended);
    await expect(complete.execute('c-1', APPLICATION)).rejects.toBeInstanceOf(ConversationStateConflict);
    expect(completions).toEqual([]);
  });

  it.each([
    ['waiting', false],
    // Left unassigned before the maximum wait ended conversations: never ended, so still the customer's to end.
    ['unassigned', false],
  ] as const)('ends a %s conversation that has not ended', async (state, ended) => {
    const { completions, complete } = world(state, ended);
    expect(await complete.execute('c-1', APPLICATION)).toEqual({ messageId: 'm-1', completedAt: new Date(0) });
    expect(completions).toEqual(['c-1']);
  });

  it("answers another application's conversation as one that does not exist, and records nothing", async () => {
    const { completions, complete } = world('assigned', false);
    await expect(complete.execute('c-1', '4')).rejects.toBeInstanceOf(ConversationNotFound);
    expect(completions).toEqual([]);
  });
});
