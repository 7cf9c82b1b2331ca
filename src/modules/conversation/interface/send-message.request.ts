import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { AGENT_MESSAGE_TYPES, CUSTOMER_MESSAGE_TYPES, MAX_MESSAGE_LENGTH } from '../domain/send-message.command';
import { IsWireText } from './wire-values';

class MessageConversationRef {
  @ApiProperty({ format: 'uuid', example: '0b0e5a1c-3a53-4c1e-9a55-1f4a2f0d9b2e' }) @IsString() @MaxLength(64) id: string;
}

/** `type` of the customer's sendmessage: the types a customer may send. */
class MessageType {
  @ApiProperty({ enum: CUSTOMER_MESSAGE_TYPES, example: 'text/plain' })
  @IsString()
  @MaxLength(32)
  value: string;
}

/** `type` of the agent's sendmessage: the types an agent may send. */
class AgentMessageType {
  @ApiProperty({ enum: AGENT_MESSAGE_TYPES, example: 'text/html' })
  @IsString()
  @MaxLength(32)
  value: string;
}

/** sendmessage, for customers and agents alike: JSON as below, or XML with root element `message`. The type is checked by the command, per side. */
export class SendMessageRequest {
  @ApiProperty({ type: MessageConversationRef }) @IsDefined() @IsObject() @ValidateNested() @Type(() => MessageConversationRef) conversation: MessageConversationRef;
  @ApiProperty({ type: MessageType }) @IsDefined() @IsObject() @ValidateNested() @Type(() => MessageType) type: MessageType;
  @ApiPropertyOptional({
    oneOf: [{ type: 'string', minLength: 1, maxLength: MAX_MESSAGE_LENGTH }, { type: 'number' }, { type: 'boolean' }],
    example: 'Hello, my parcel did not arrive.',
    description: 'the text, 1 to 10000 characters, no control character but tab and line breaks, neither U+FFFE nor U+FFFF (a JSON number or boolean is taken as its text); ignored for typing and complete',
  })
  @IsOptional()
  @IsWireText()
  content?: string | number | boolean;
}

/**
 * The agent's sendmessage as the OpenAPI document describes it: the same document, read by the
 * same checks, but with the agent's types, so that a client generated from the document offers
 * neither `complete` (a customer's) nor leaves out `text/html`.
 */
export class AgentSendMessageRequest extends SendMessageRequest {
  @ApiProperty({ type: AgentMessageType }) declare type: AgentMessageType;
}
