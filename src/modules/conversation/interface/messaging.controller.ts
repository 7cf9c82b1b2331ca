import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppConfig } from '../../../platform/config/app-config';
import { validateBody } from '../../../platform/http/validate-body';
import { atPathParameter } from '../../../platform/errors/app-error';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { checkXmlRoot } from '../../../platform/http/document-body';
import { ClientApplicationGuard, CurrentClientApplication, type ClientApplicationPrincipal } from '../../client-application';
import { ReadConversation } from '../application/read-conversation/read-conversation.use-case';
import { SendCustomerMessage } from '../application/send-customer-message/send-customer-message.use-case';
import { SendMessageCommand } from '../domain/send-message.command';
import { READ_CONVERSATION_DOC, SEND_CUSTOMER_MESSAGE_DOC } from './messaging.api-doc';
import { conversationReadingDocument, sentMessageDocument } from './messaging.response';
import { SendMessageRequest } from './send-message.request';
import { conversationLinks } from './conversation.response';
import { wireText } from './wire-values';
import { transcriptPageOf } from './transcript-page.query';
import { IdempotentAnswer } from '../../../platform/idempotency/idempotent-answer';
import { Idempotent } from '../../../platform/idempotency/idempotent.interceptor';

/** sendmessage as both sides send it: JSON, or XML under `<message>`. */
export function readSendMessage(req: Request, body: unknown) {
  checkXmlRoot(req, 'message');
  const request = validateBody(SendMessageRequest, body);
  return { conversationId: request.conversation.id, type: request.type.value, content: wireText(request.content) };
}

/** The customer side of a conversation after its start, for the client application that started it. */
@ApiTags('messaging')
@Controller('ws/v19/clientapplications/messaging')
@UseGuards(ClientApplicationGuard)
export class MessagingController {
  constructor(
    private readonly readConversation: ReadConversation,
    private readonly sendMessage: SendCustomerMessage,
    private readonly config: AppConfig,
    private readonly answers: IdempotentAnswer,
  ) {}

  @Get('conversation/:id')
  @ApiEndpoint(READ_CONVERSATION_DOC)
  async get(@Param('id') id: string, @Query() query: Record<string, unknown>, @CurrentClientApplication() principal: ClientApplicationPrincipal) {
    const reading = await atPathParameter('id', 'conversation.id', this.readConversation.execute(id, principal, transcriptPageOf(query)));
    return conversationReadingDocument(reading, conversationLinks(reading.conversation.conversationId, this.config.CONTEXT_PATH));
  }

  @Post('sendmessage')
  @HttpCode(200)
  @Idempotent()
  @ApiEndpoint(SEND_CUSTOMER_MESSAGE_DOC)
  async send(@Req() req: Request, @Body() body: unknown, @CurrentClientApplication() principal: ClientApplicationPrincipal) {
    const command = SendMessageCommand.forCustomer(readSendMessage(req, body));
    // Inside @Idempotent: a replay is answered before the use case, which counts the message, and is not counted again.
    // The answer kept for retries commits with the message: a crash between the two would let a retry send it again.
    return sentMessageDocument(await this.sendMessage.execute(command, principal, (sent) => this.answers.record(sentMessageDocument(sent))));
  }
}
