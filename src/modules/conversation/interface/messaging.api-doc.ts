import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { IdValue } from '../../../platform/openapi/id-value';
import { pageLimitQuery } from '../../../platform/openapi/page-limit-query';
import { AGENT_MESSAGE_TYPES, CUSTOMER_MESSAGE_TYPES, MAX_MESSAGE_LENGTH } from '../domain/send-message.command';
import { AgentSendMessageRequest, SendMessageRequest } from './send-message.request';
import { TRANSCRIPT_PAGE_DEFAULT, TRANSCRIPT_PAGE_MAX } from '../domain/transcript-page';

const CONVERSATION_ID = 'fd9d9503-00da-4bf0-ba3d-f262b66b759d';
const BASE = '/system/ws/v19/clientapplications/messaging';

class NamedId {
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ example: 'Alice Agent' }) name: string;
}

class TypeValue {
  @ApiProperty({ example: 'text/plain' }) value: string;
}

/** The conversation an answer names (sendmessage's, an agent's chats). */
export class ConversationRef {
  @ApiProperty({ format: 'uuid', example: CONVERSATION_ID }) id: string;
}

class Sender {
  @ApiProperty({ enum: ['user', 'customer', 'system'] }) type: string;
  @ApiPropertyOptional({ type: NamedId, description: 'the agent, when type is user' }) user?: NamedId;
}

class TranscriptMessage {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: TypeValue }) type: TypeValue;
  @ApiPropertyOptional({ description: 'absent for events without text' }) content?: string;
  @ApiProperty({ type: Sender }) sender: Sender;
  @ApiProperty({ type: 'integer', description: 'epoch milliseconds', example: 1795687860441 }) timeStamp: number;
}

/** A link of a conversation answer (the start's and the reading's). */
export class Link {
  @ApiProperty({ enum: ['self', 'sendmessage', 'next'], description: '`next` (readings only): the page of the transcript after this one, present while more messages follow' }) rel: string;
  @ApiProperty({ example: `${BASE}/conversation/${CONVERSATION_ID}` }) href: string;
}

export class ConversationReading {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['waiting', 'assigned', 'unassigned', 'completed'] }) state: string;
  @ApiProperty({ type: IdValue }) entryPoint: IdValue;
  @ApiProperty({ type: IdValue }) activity: IdValue;
  @ApiProperty({ type: IdValue }) case: IdValue;
  @ApiPropertyOptional({ type: IdValue, description: 'absent for an anonymous customer' }) customer?: IdValue;
  @ApiPropertyOptional({ type: NamedId, description: 'the assigned agent, once there is one' }) agent?: NamedId;
  @ApiProperty({ type: DateValue }) createdDate: DateValue;
  @ApiPropertyOptional({ type: DateValue }) assignedDate?: DateValue;
  @ApiPropertyOptional({ type: DateValue }) completedDate?: DateValue;
  @ApiProperty({ type: [TranscriptMessage], description: 'the transcript in order, typing left out' }) message: TranscriptMessage[];
  @ApiProperty({ type: [Link] }) link: Link[];
}

export class ConversationReadingDocument {
  @ApiProperty({ type: ConversationReading }) conversation: ConversationReading;
}

class SentMessage {
  @ApiProperty({ format: 'uuid', example: '93c2d7e4-1b6a-4f0e-8c55-2a7d9e1f3b60' }) id: string;
  @ApiProperty({ type: ConversationRef }) conversation: ConversationRef;
  @ApiProperty({ type: TypeValue }) type: TypeValue;
  @ApiProperty({ type: 'integer', description: 'epoch milliseconds', example: 1795687860441 }) timeStamp: number;
}

export class SentMessageDocument {
  @ApiProperty({ type: SentMessage }) message: SentMessage;
}

class AgentSentMessage extends SentMessage {
  @ApiProperty({ description: 'false when the client application is not told: typing it did not ask for (sendTypingNotification=no), or it has no callback URL' }) notified: boolean;
}

export class AgentSentMessageDocument {
  @ApiProperty({ type: AgentSentMessage }) message: AgentSentMessage;
}

const ALICE = { type: 'user', user: { id: '1', name: 'Alice Agent' } };

/** `after` and `limit`: which page of the transcript a reading answers. */
export const TRANSCRIPT_PAGE_QUERY: EndpointDoc['query'] = [
  {
    name: 'after',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'the id of a message of this transcript: the page starts after it (from the first message when absent); any other id is 400-105',
  },
  pageLimitQuery('messages', TRANSCRIPT_PAGE_DEFAULT, TRANSCRIPT_PAGE_MAX),
];

/** How a reading pages its transcript, in the words of both readings' descriptions. */
export const TRANSCRIPT_PAGING =
  `\`message\` holds at most \`limit\` messages (default ${TRANSCRIPT_PAGE_DEFAULT}, at most ${TRANSCRIPT_PAGE_MAX}), in order, and at most ` +
  'TRANSCRIPT_PAGE_MAX_BYTES (1 MiB by default) of message text: a page of long messages ends early, never empty; while more follow, ' +
  '`link` has `next`, the reading of the next page (`after` the last message given). Other query parameters are ignored.';

export const READ_CONVERSATION_DOC: EndpointDoc = {
  summary: 'Read one of this application\'s conversations with a page of its transcript (typing left out)',
  description:
    'Any conversation of another client application, existing or not, is 404-102: an application cannot learn that an id exists. ' +
    '`state` is waiting, assigned, unassigned (no agent in time: ended at the maximum wait) or completed; both ended states carry `completedDate`. ' +
    TRANSCRIPT_PAGING,
  auth: 'client-application',
  query: TRANSCRIPT_PAGE_QUERY,
  ok: {
    type: ConversationReadingDocument,
    example: {
      conversation: {
        id: CONVERSATION_ID,
        state: 'assigned',
        entryPoint: { id: '1001' },
        activity: { id: '5000' },
        case: { id: '1200' },
        customer: { id: '1000' },
        agent: { id: '1', name: 'Alice Agent' },
        createdDate: { date: '2026-11-26T09:10:45.352Z' },
        assignedDate: { date: '2026-11-26T09:10:45.390Z' },
        message: [
          { id: '0c6f3c1e-5d0a-4a53-9a1e-3f1d2b7c9e01', type: { value: 'assigned' }, sender: ALICE, timeStamp: 1795687845390 },
          { id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', type: { value: 'text/html' }, content: '<p>Hello Ada, how can I help?</p>', sender: ALICE, timeStamp: 1795687851020 },
          { id: '93c2d7e4-1b6a-4f0e-8c55-2a7d9e1f3b60', type: { value: 'text/plain' }, content: 'My parcel did not arrive.', sender: { type: 'customer' }, timeStamp: 1795687860441 },
        ],
        link: [
          { rel: 'self', href: `${BASE}/conversation/${CONVERSATION_ID}` },
          { rel: 'sendmessage', href: `${BASE}/sendmessage` },
        ],
      },
    },
  },
  errors: ['ConversationNotFound', 'InvalidParameterValue', 'RepeatedParameter'],
};

export const SEND_CUSTOMER_MESSAGE_DOC: EndpointDoc = {
  summary: 'Send the customer\'s message (text/plain), typing (startTyping, endTyping), or end the conversation (complete)',
  description:
    `\`type.value\` is one of ${CUSTOMER_MESSAGE_TYPES.join(', ')}. Text is 1 to ${MAX_MESSAGE_LENGTH} characters and may be sent while the ` +
    'conversation is waiting or assigned. `complete` ends the conversation: the agent\'s slot is freed and the callback receives `complete`, ' +
    'once; ending an ended conversation (completed, or unassigned at the maximum wait) is 409-102. Only into this application\'s own conversations (any other is 404-102). ' +
    'Typing is kept out of the transcript and the callback: it shows on the assigned agent\'s reading of the chat and list of chats as `customerTyping` from a ' +
    'startTyping until the endTyping, the customer\'s next message, the end of the conversation, or CUSTOMER_TYPING_TTL_MS (10 s by default) after the last ' +
    'startTyping, so a client whose customer types on sends startTyping again within that time. ' +
    'Text is limited per conversation to SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION messages per SENDMESSAGE_THROTTLE_WINDOW_MS, typing to as many again of its own; beyond that 429-101 with ' +
    '`Retry-After`, nothing written. `complete` is never refused by this limit. An `Idempotency-Key` replay is not counted. ' +
    'The body is JSON, XML (root element `message`) or one JSON/XML part of a multipart/form-data body. Accepts `Idempotency-Key`.',
  auth: 'client-application',
  body: {
    type: SendMessageRequest,
    xmlRoot: 'message',
    example: { conversation: { id: CONVERSATION_ID }, type: { value: 'text/plain' }, content: 'My parcel did not arrive.' },
  },
  ok: {
    description: 'The message as recorded in the transcript (typing: as received, kept out of the transcript)',
    type: SentMessageDocument,
    example: { message: { id: '93c2d7e4-1b6a-4f0e-8c55-2a7d9e1f3b60', conversation: { id: CONVERSATION_ID }, type: { value: 'text/plain' }, timeStamp: 1795687860441 } },
  },
  errors: ['TooManyRequests', 'ConversationNotFound', 'ConversationStateConflict'],
};

export const SEND_AGENT_MESSAGE_DOC: EndpointDoc = {
  summary: 'Send a message (text/plain or text/html) or typing (startTyping, endTyping) to the customer',
  description:
    `\`type.value\` is one of ${AGENT_MESSAGE_TYPES.join(', ')}. Only into the agent's own assigned conversations (another agent's: 403-104; ` +
    'not assigned any more: 409-102; unknown: 404-102). Text is stored and sent as the client can show it: HTML for rich-text clients, ' +
    'plain text (tags removed) for the others. Typing reaches the callback only when the start asked for it (`message.notified`). ' +
    'Text is limited per agent, across its chats, to SENDMESSAGE_THROTTLE_LIMIT_PER_AGENT messages per SENDMESSAGE_THROTTLE_WINDOW_MS, typing to as many again of its own; beyond that ' +
    '429-101 with `Retry-After`, nothing written or sent. An `Idempotency-Key` replay is not counted. ' +
    'The body is JSON, XML (root element `message`) or one JSON/XML part of a multipart/form-data body. Accepts `Idempotency-Key` (each agent\'s keys are its own).',
  auth: 'agent',
  body: {
    type: AgentSendMessageRequest,
    xmlRoot: 'message',
    example: { conversation: { id: CONVERSATION_ID }, type: { value: 'text/html' }, content: '<p>Hello Ada, how can I help?</p>' },
  },
  ok: {
    description: 'The message as recorded and sent to the client application',
    type: AgentSentMessageDocument,
    example: {
      message: { id: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', conversation: { id: CONVERSATION_ID }, type: { value: 'text/html' }, timeStamp: 1795687851020, notified: true },
    },
  },
  errors: ['TooManyRequests', 'ConversationNotFound', 'NotYourConversation', 'ConversationStateConflict', 'IdempotencyKeyInvalid', 'IdempotencyKeyReused', 'IdempotencyRequestInProgress'],
};
