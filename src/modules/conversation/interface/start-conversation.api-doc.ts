import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { IdValue } from '../../../platform/openapi/id-value';
import { CONVERSATION_CONTACT_ATTRIBUTES, STANDARD_CONTACT_ATTRIBUTES } from '../../customer/domain';
import { Link } from './messaging.api-doc';
import { StartConversationRequest } from './start-conversation.request';

class Conversation {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'waiting' }) state: string;
  @ApiProperty({ type: IdValue }) entryPoint: IdValue;
  @ApiProperty({ type: IdValue }) activity: IdValue;
  @ApiProperty({ type: IdValue }) case: IdValue;
  @ApiPropertyOptional({ type: IdValue, description: 'absent for an anonymous customer' }) customer?: IdValue;
  @ApiProperty({ type: DateValue }) createdDate: DateValue;
  @ApiProperty({ type: [Link] }) link: Link[];
}

export class ConversationDocument {
  @ApiProperty({ type: Conversation }) conversation: Conversation;
}

const yesNo = { type: 'string' as const, enum: ['yes', 'no'] };

export const START_CONVERSATION_DOC: EndpointDoc = {
  summary: 'Start a chat conversation for an anonymous or identified customer',
  description:
    'Exactly one of anonymousCustomer and searchContactOnAttribute. The body is JSON, XML (root element `conversation`) or one ' +
    'JSON/XML part of a multipart/form-data body. `entryPointConfiguration.lastModified.date` must be the one the configuration ' +
    'API answers now (else 409-101). After commit a worker assigns an agent; the client hears of it through its webhook. Accepts `Idempotency-Key`.',
  auth: 'client-application',
  query: [
    { name: 'anonymousCustomer', required: false, enum: ['yes'], description: 'conversation without a customer' },
    {
      name: 'searchContactOnAttribute',
      required: false,
      schema: { type: 'string', example: 'email.emailAddress' },
      description: `find or create the customer on this attribute: ${STANDARD_CONTACT_ATTRIBUTES.join(', ')}, or custom.<searchable contact attribute>`,
    },
    { name: 'sendTypingNotification', required: false, schema: { ...yesNo, default: 'no' }, description: 'post agent typing events to the callback URL' },
    { name: 'conversationContact', required: false, enum: [...CONVERSATION_CONTACT_ATTRIBUTES], description: 'the contact point the chat is tied to (with searchContactOnAttribute only)' },
  ],
  body: {
    type: StartConversationRequest,
    xmlRoot: 'conversation',
    example: {
      entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: '2026-11-26T09:00:00.000Z' } },
      activity: {
        subject: 'Order 1234 did not arrive',
        payload: { chat: { clientInfo: { timeOffset: '-300', referrerName: 'Shop', referrerURL: 'https://shop.example/help', isRichTextSupported: 'true' } } },
        customAttributes: { customAttribute: [{ attribName: 'order_channel', attribValues: { attribValue: [{ value: 'web' }] } }] },
        customer: {
          type: { value: 'individual' },
          contacts: { contact: [{ firstName: 'Ada', lastName: 'Lovelace', email: [{ emailAddress: 'ada@example.com' }], phone: [{ type: { value: 'mobile' }, phoneNo: '+44 20 7946 0000' }] }] },
        },
      },
    },
  },
  ok: {
    description: 'The conversation, waiting for assignment',
    type: ConversationDocument,
    headers: { Location: { description: "the conversation's address, its `self` link (also on an `Idempotency-Key` replay)", schema: { type: 'string' } } },
    example: {
      conversation: {
        id: 'fd9d9503-00da-4bf0-ba3d-f262b66b759d',
        state: 'waiting',
        entryPoint: { id: '1001' },
        activity: { id: '5000' },
        case: { id: '1200' },
        customer: { id: '1000' },
        createdDate: { date: '2026-11-26T09:10:45.352Z' },
        link: [
          { rel: 'self', href: '/system/ws/v19/clientapplications/messaging/conversation/fd9d9503-00da-4bf0-ba3d-f262b66b759d' },
          { rel: 'sendmessage', href: '/system/ws/v19/clientapplications/messaging/sendmessage' },
        ],
      },
    },
  },
  errors: [
    'TooManyRequests',
    'ConversationModeMissing', 'ConversationModeConflict', 'UnsupportedParameter', 'RepeatedParameter', 'InvalidParameterValue',
    'ConversationContactNotAllowed', 'SearchAttributeNotSearchable',
    'EntryPointNotFound', 'SubjectInvalid', 'CustomerRequired', 'CustomerNotAllowed', 'SearchAttributeMissing', 'ConversationContactMissing',
    'CaseNotAllowedForAnonymous', 'CaseNotFound', 'CaseBelongsToAnotherCustomer', 'MultipleContactsFound', 'CustomerCreationFailed',
    'CustomAttributeUnknown', 'CustomAttributeValueNotAllowed', 'CustomAttributeInvalidCharacters', 'CustomAttributeTooLong',
    'ContactCountInvalid', 'ClientInfoInvalid', 'ContactCustomAttributeUnknown', 'ContactDetailInvalid',
    'AssignmentServiceNotRunning', 'NoAgentAvailable', 'CallbackUrlDeactivated',
    'ClientApplicationNotChat', 'EntryPointNotAllowed', 'EntryPointConfigurationChanged',
    'ServiceUnavailable',
  ],
};
