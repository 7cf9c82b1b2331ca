import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { IdValue } from '../../../platform/openapi/id-value';
import { TransferChatRequest } from './agent-chats.request';
import { ConversationReading, ConversationRef, TRANSCRIPT_PAGE_QUERY, TRANSCRIPT_PAGING } from './messaging.api-doc';

const CUSTOMER_TYPING =
  "present only while the chat's customer is typing: from its client application's startTyping until its endTyping, its next " +
  'message or the end of the conversation, and at most CUSTOMER_TYPING_TTL_MS (10 s by default) after its last startTyping; ' +
  'absent too while the typing state (Redis) cannot be read';

class CustomerTypingView {
  @ApiProperty({ type: DateValue, description: 'the first startTyping of this run of typing' }) since: DateValue;
}

class AssignedChatView {
  @ApiProperty({ type: ConversationRef }) conversation: ConversationRef;
  @ApiProperty({ type: IdValue }) activity: IdValue;
  @ApiProperty({ type: IdValue }) queue: IdValue;
  @ApiPropertyOptional({ example: 'Order 1234 did not arrive', description: 'absent when the chat was started without one' }) subject?: string;
  @ApiProperty({ type: DateValue }) createdDate: DateValue;
  @ApiProperty({ type: DateValue }) assignedDate: DateValue;
  @ApiPropertyOptional({ type: CustomerTypingView, description: CUSTOMER_TYPING }) customerTyping?: CustomerTypingView;
}
class AssignedChatList {
  @ApiProperty({ type: AssignedChatView, isArray: true }) chat: AssignedChatView[];
}
export class AgentChatsDocument {
  @ApiProperty({ type: AssignedChatList }) chats: AssignedChatList;
}

class AgentChatReading extends ConversationReading {
  @ApiPropertyOptional({ type: CustomerTypingView, description: `${CUSTOMER_TYPING}; never in an ended chat` }) customerTyping?: CustomerTypingView;
}
export class AgentChatReadingDocument {
  @ApiProperty({ type: AgentChatReading }) conversation: AgentChatReading;
}

class CompletedChatView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['completed'] }) state: string;
}
export class CompletedChatDocument {
  @ApiProperty({ type: CompletedChatView }) conversation: CompletedChatView;
}

class TransferredChatView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['waiting', 'assigned'], description: 'waiting in the target queue, or assigned to the target agent' }) state: string;
  @ApiProperty({ type: IdValue, description: "the target queue, or the chat's queue when handed to an agent" }) queue: IdValue;
  @ApiPropertyOptional({ type: IdValue, description: 'the agent who has the chat now; absent after a transfer to a queue' }) agent?: IdValue;
}
export class TransferredChatDocument {
  @ApiProperty({ type: TransferredChatView }) conversation: TransferredChatView;
}

const CONVERSATION_ID = 'fd9d9503-00da-4bf0-ba3d-f262b66b759d';

/** Complete and transfer check, under the activity's row lock, in this order. */
const CHAT_CHECKS =
  'Unknown conversation: 404 ConversationNotFound. A chat not assigned to the calling agent: 403 NotYourConversation ' +
  '(checked before the state, so nothing leaks about other chats), also one the agent transferred, waiting in a queue or taken ' +
  'by another agent. A chat of the agent\'s that has ended (completed by the agent or by the customer): 409 ConversationStateConflict.';

export const AGENT_CHATS_DOCS = {
  list: {
    summary: 'The chats assigned to the agent and still open',
    description: 'Oldest assignment first, each with `customerTyping` while its customer is typing. An agent with no open chat gets an empty list.',
    auth: 'agent',
    ok: {
      type: AgentChatsDocument,
      example: {
        chats: {
          chat: [
            {
              conversation: { id: CONVERSATION_ID },
              activity: { id: '5000' },
              queue: { id: '1' },
              subject: 'Order 1234 did not arrive',
              createdDate: { date: '2026-11-26T09:10:45.352Z' },
              assignedDate: { date: '2026-11-26T09:10:45.610Z' },
            },
          ],
        },
      },
    },
  },
  read: {
    summary: 'Read one of the agent\'s chats with its transcript: what the customer wrote (before the assignment too), the agent\'s messages and events',
    description:
      'The chat must be assigned to the calling agent, or have been ended while it had it; a chat of another agent, or one the agent ' +
      'transferred, is 403 NotYourConversation; an unknown conversation 404 ConversationNotFound. The same document as the client ' +
      'application\'s reading (typing left out of the transcript), with links to this route and to the agent\'s sendmessage, and, ' +
      'while the chat is assigned and its customer is typing, `customerTyping` (since when). ' + TRANSCRIPT_PAGING,
    auth: 'agent',
    query: TRANSCRIPT_PAGE_QUERY,
    ok: {
      type: AgentChatReadingDocument,
      example: {
        conversation: {
          id: CONVERSATION_ID,
          state: 'assigned',
          entryPoint: { id: '1001' },
          activity: { id: '5000' },
          case: { id: '1200' },
          agent: { id: '1', name: 'Alice Agent' },
          createdDate: { date: '2026-11-26T09:10:45.352Z' },
          assignedDate: { date: '2026-11-26T09:10:45.610Z' },
          customerTyping: { since: { date: '2026-11-26T09:11:02.118Z' } },
          message: [
            { id: '0c6f3c1e-5d0a-4a53-9a1e-3f1d2b7c9e01', type: { value: 'assigned' }, sender: { type: 'user', user: { id: '1', name: 'Alice Agent' } }, timeStamp: 1795687845610 },
            { id: '93c2d7e4-1b6a-4f0e-8c55-2a7d9e1f3b60', type: { value: 'text/plain' }, content: 'My parcel did not arrive.', sender: { type: 'customer' }, timeStamp: 1795687860441 },
          ],
          link: [
            { rel: 'self', href: `/system/ws/v19/agent/chats/${CONVERSATION_ID}` },
            { rel: 'sendmessage', href: '/system/ws/v19/agent/messaging/sendmessage' },
          ],
        },
      },
    },
    errors: ['ConversationNotFound', 'NotYourConversation', 'InvalidParameterValue', 'RepeatedParameter'],
  },
  complete: {
    summary: 'End the chat: frees the agent for the next waiting chat; the client application hears "complete"',
    description:
      'The chat becomes completed, the agent\'s slot is given back (the oldest waiting chat of its queues takes it) and the ' +
      `"complete" event is recorded once, as the last event of the conversation. No request body. ${CHAT_CHECKS} ` +
      'Accepts `Idempotency-Key`: a retry gets the first answer rather than 409.',
    auth: 'agent',
    ok: { type: CompletedChatDocument, example: { conversation: { id: CONVERSATION_ID, state: 'completed' } } },
    errors: ['ConversationNotFound', 'NotYourConversation', 'ConversationStateConflict', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'IdempotencyRequestInProgress'],
  },
  transfer: {
    summary: 'Hand the chat to a queue (it waits there again) or to an available agent with spare capacity',
    description:
      'Exactly one of queue.id and agent.id (ids as digits, text or number); both, or the calling agent itself: ' +
      '400 TransferTargetInvalid; neither (`{}`, or every member null) is a missing body, 400 BodyMissing. To a queue: the chat waits there again, its wait counted from now; unknown queue 404 ' +
      'ResourceNotFound. To an agent: a slot of that agent is claimed as in any assignment, or the transfer is refused with ' +
      '409 AgentUnavailable (not available, or no spare capacity) and nothing changes; unknown agent 404 ResourceNotFound. ' +
      'Either way the calling agent\'s slot is freed and "transfer" is recorded (content queue:<id> or agent:<id>); a transfer ' +
      `to an agent also records "assigned". ${CHAT_CHECKS} Accepts \`Idempotency-Key\`: a retry gets the first answer rather than ` +
      '403 (the chat is no longer the agent\'s).',
    auth: 'agent',
    body: { type: TransferChatRequest, xmlRoot: 'transfer', example: { queue: { id: '2' } } },
    ok: {
      type: TransferredChatDocument,
      example: { conversation: { id: CONVERSATION_ID, state: 'waiting', queue: { id: '2' } } },
    },
    errors: [
      'TransferTargetInvalid',
      'ConversationNotFound',
      'NotYourConversation',
      'ConversationStateConflict',
      'ResourceNotFound',
      'AgentUnavailable',
      'IdempotencyKeyInvalid',
      'IdempotencyKeyReused',
      'IdempotencyRequestInProgress',
    ],
  },
} satisfies Record<string, EndpointDoc>;
