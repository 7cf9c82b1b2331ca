import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { IdempotentAnswer } from '../../../platform/idempotency/idempotent-answer';
import { Idempotent } from '../../../platform/idempotency/idempotent.interceptor';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AgentGuard, CurrentUser, type UserPrincipal } from '../../user-account';
import { SendAgentMessage, type SentAgentMessage } from '../application/send-agent-message/send-agent-message.use-case';
import { SendMessageCommand } from '../domain/send-message.command';
import { SEND_AGENT_MESSAGE_DOC } from './messaging.api-doc';
import { readSendMessage } from './messaging.controller';
import { sentMessageDocument } from './messaging.response';

/** The agent side: messages and typing into the agent's own assigned conversations. */
@ApiTags('agent')
@Controller('ws/v19/agent/messaging')
@UseGuards(AgentGuard)
export class AgentMessagingController {
  constructor(private readonly sendMessage: SendAgentMessage, private readonly answers: IdempotentAnswer) {}

  @Post('sendmessage')
  @HttpCode(200)
  @Idempotent()
  @ApiEndpoint(SEND_AGENT_MESSAGE_DOC)
  async send(@Req() req: Request, @Body() body: unknown, @CurrentUser() user: UserPrincipal) {
    const command = SendMessageCommand.forAgent(readSendMessage(req, body));
    // Inside @Idempotent: a replay is answered before the use case, which counts the message, and is not counted again.
    // The answer kept for retries commits with the message: a crash between the two would let a retry send it again.
    return agentMessageDocument(await this.sendMessage.execute(command, user.userId, (sent) => this.answers.record(agentMessageDocument(sent))));
  }
}

function agentMessageDocument(sent: SentAgentMessage) {
  return { message: { ...sentMessageDocument(sent).message, notified: sent.notified } };
}
