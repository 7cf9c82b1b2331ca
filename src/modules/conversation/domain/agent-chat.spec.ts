import { ConversationNotFound, ConversationStateConflict, NotYourConversation, TransferTargetInvalid } from './agent-chat.errors';
import { checkAgentMayAct, type AgentChat } from './agent-chat';
import { TransferChatCommand } from './transfer-chat.command';

const CONVERSATION = 'c0ffee00-0000-4000-8000-000000000001';
const chat = (over: Partial<AgentChat> = {}): AgentChat => ({ activityId: '5001', conversationId: CONVERSATION, queueId: '1', state: 'assigned', agentId: '7', ...over });

describe('checkAgentMayAct', () => {
  it('lets the agent act on its own open chat', () => {
    expect(checkAgentMayAct(chat(), CONVERSATION, '7', 'completed')).toEqual(chat());
  });

  it('refuses a missing chat as not found', () => {
    expect(() => checkAgentMayAct(undefined, CONVERSATION, '7', 'completed')).toThrow(ConversationNotFound);
  });

  it("refuses another agent's chat, and a waiting one, as not yours before looking at its state", () => {
    expect(() => checkAgentMayAct(chat({ agentId: '8' }), CONVERSATION, '7', 'completed')).toThrow(NotYourConversation);
    expect(() => checkAgentMayAct(chat({ agentId: '8', state: 'completed' }), CONVERSATION, '7', 'completed')).toThrow(NotYourConversation);
    expect(() => checkAgentMayAct(chat({ agentId: null, state: 'waiting' }), CONVERSATION, '7', 'transferred')).toThrow(NotYourConversation);
  });

  it('refuses its own chat once completed', () => {
    expect(() => checkAgentMayAct(chat({ state: 'completed' }), CONVERSATION, '7', 'completed')).toThrow(ConversationStateConflict);
  });
});

describe('TransferChatCommand', () => {
  const base = { conversationId: CONVERSATION, fromAgentId: '7' };

  it('takes a queue or an agent as target', () => {
    expect(TransferChatCommand.create({ ...base, queueId: '2' }).target).toEqual({ kind: 'queue', queueId: '2' });
    expect(TransferChatCommand.create({ ...base, agentId: '9' }).target).toEqual({ kind: 'agent', agentId: '9' });
  });

  it('describes the target for the transcript', () => {
    expect(TransferChatCommand.create({ ...base, queueId: '2' }).description).toBe('queue:2');
    expect(TransferChatCommand.create({ ...base, agentId: '9' }).description).toBe('agent:9');
  });

  it('refuses both targets, none, a malformed id, and the agent itself', () => {
    expect(() => TransferChatCommand.create({ ...base, queueId: '2', agentId: '9' })).toThrow(TransferTargetInvalid);
    expect(() => TransferChatCommand.create(base)).toThrow(TransferTargetInvalid);
    expect(() => TransferChatCommand.create({ ...base, queueId: 'two' })).toThrow(TransferTargetInvalid);
    expect(() => TransferChatCommand.create({ ...base, agentId: '7' })).toThrow(TransferTargetInvalid);
  });
});
