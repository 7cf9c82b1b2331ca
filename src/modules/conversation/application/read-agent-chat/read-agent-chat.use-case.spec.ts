import type { UserDirectory } from '../../../user-account';
import { NotYourConversation } from '../../domain/agent-chat.errors';
import { TRANSCRIPT_PAGE_DEFAULT } from '../../domain/transcript-page';
import type { CustomerTyping } from '../customer-typing';
import type { ActivityState, ConversationDetails, MessagingRepository } from '../messaging.repository';
import { ReadAgentChat } from './read-agent-chat.use-case';

const CONVERSATION = 'c0ffee00-0000-4000-8000-000000000001';
const SINCE = new Date('2026-11-26T09:10:50.000Z');

/** A chat of agent 7 in `state`, and a typing state in which its customer types since SINCE, the look-ups counted. */
function setup(state: ActivityState) {
  const details: ConversationDetails = {
    conversationId: CONVERSATION, activityId: '5001', clientApplicationId: '10', state, ended: state === 'completed', agentId: '7', richText: false,
    entryPointId: '1001', caseId: '1200', customerId: null, createdAt: new Date(0), assignedAt: new Date(1), completedAt: state === 'completed' ? new Date(2) : null,
  };
  const conversations = {
    details: async (id: string) => (id === CONVERSATION ? details : undefined),
    transcript: async () => ({ messages: [], more: false }),
  } as unknown as MessagingRepository;
  const users = { displayNames: async () => new Map([['7', 'Alice Agent']]) } as unknown as UserDirectory;
  const lookups: string[][] = [];
  const typing = {
    typingSince: async (ids: readonly string[]) => (lookups.push([...ids]), new Map([[CONVERSATION, SINCE]])),
  } as unknown as CustomerTyping;
  return { lookups, read: new ReadAgentChat(conversations, users, typing) };
}

const PAGE = { limit: TRANSCRIPT_PAGE_DEFAULT };

describe("ReadAgentChat and the customer's typing", () => {
  it('says since when the customer of an assigned chat types, the id read as stored', async () => {
    const s = setup('assigned');
    const reading = await s.read.execute(CONVERSATION.toUpperCase(), '7', PAGE);
    expect(reading.customerTyping).toEqual(SINCE);
    expect(s.lookups).toEqual([[CONVERSATION]]);
  });

  it('shows no typing in an ended chat, whatever the typing state still holds', async () => {
    const s = setup('completed');
    const reading = await s.read.execute(CONVERSATION, '7', PAGE);
    expect('customerTyping' in reading).toBe(false);
    expect(s.lookups).toEqual([]);
  });

  it("refuses another agent's chat without looking its typing up", async () => {
    const s = setup('assigned');
    await expect(s.read.execute(CONVERSATION, '8', PAGE)).rejects.toThrow(NotYourConversation);
    expect(s.lookups).toEqual([]);
  });
});
