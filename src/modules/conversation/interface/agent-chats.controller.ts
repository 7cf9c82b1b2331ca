import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { atPathParameter } from '../../../platform/errors/app-error';
import { IdempotentAnswer } from '../../../platform/idempotency/idempotent-answer';
import { Idempotent } from '../../../platform/idempotency/idempotent.interceptor';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AgentGuard, CurrentUser, type UserPrincipal } from '../../user-account';
import { CompleteChat } from '../application/complete-chat/complete-chat.use-case';
import { ListAgentChats } from '../application/list-agent-chats/list-agent-chats.use-case';
import { ReadAgentChat } from '../application/read-agent-chat/read-agent-chat.use-case';
import { TransferChat } from '../application/transfer-chat/transfer-chat.use-case';
import { TransferChatCommand } from '../domain/transfer-chat.command';
import { AGENT_CHATS_DOCS as DOCS } from './agent-chats.api-doc';
import { TransferChatRequest } from './agent-chats.request';
import { agentChatsDocument, completedChatDocument, transferredChatDocument } from './agent-chats.response';
import { wireId } from './wire-values';
import { transcriptPageOf } from './transcript-page.query';
import { DocumentBody } from '../../../platform/http/document-body';
import { AppConfig } from '../../../platform/config/app-config';
import { agentChatLinks } from './conversation.response';
import { conversationReadingDocument } from './messaging.response';

/** The agent's side of its chats. An agent acts only on chats assigned to it (403 otherwise). */
@ApiTags('agent')
@Controller('ws/v19/agent/chats')
@UseGuards(AgentGuard)
export class AgentChatsController {
  constructor(
    private readonly listChats: ListAgentChats,
    private readonly readChat: ReadAgentChat,
    private readonly completeChat: CompleteChat,
    private readonly transferChat: TransferChat,
    private readonly config: AppConfig,
    private readonly answers: IdempotentAnswer,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@CurrentUser() user: UserPrincipal) {
    return agentChatsDocument(await this.listChats.execute(user.userId));
  }

  @Get(':conversationId')
  @ApiEndpoint(DOCS.read)
  async read(@CurrentUser() user: UserPrincipal, @Param('conversationId') conversationId: string, @Query() query: Record<string, unknown>) {
    const reading = await atPathParameter('conversationId', 'conversation.id', this.readChat.execute(conversationId, user.userId, transcriptPageOf(query)));
    return conversationReadingDocument(reading, agentChatLinks(reading.conversation.conversationId, this.config.CONTEXT_PATH));
  }

  @Post(':conversationId/complete')
  @HttpCode(200)
  @Idempotent()
  @ApiEndpoint(DOCS.complete)
  async complete(@CurrentUser() user: UserPrincipal, @Param('conversationId') conversationId: string) {
    // The answer kept for retries commits with the completion: a retry after a lost answer gets it, not 409.
    const completing = this.completeChat.execute({ conversationId, agentId: user.userId }, (done) => this.answers.record(completedChatDocument(done.conversationId)));
    return completedChatDocument((await atPathParameter('conversationId', 'conversation.id', completing)).conversationId);
  }

  @Post(':conversationId/transfer')
  @HttpCode(200)
  @Idempotent()
  @ApiEndpoint(DOCS.transfer)
  async transfer(@CurrentUser() user: UserPrincipal, @Param('conversationId') conversationId: string, @DocumentBody('transfer') body: unknown) {
    const request = validateBody(TransferChatRequest, body);
    const command = TransferChatCommand.create({
      conversationId,
      fromAgentId: user.userId,
      queueId: request.queue === undefined ? undefined : wireId(request.queue.id),
      agentId: request.agent === undefined ? undefined : wireId(request.agent.id),
    });
    // The answer kept for retries commits with the transfer: a retry after a lost answer gets it, not 403 (the chat is no longer the agent's).
    const transferring = this.transferChat.execute(command, (transferred) => this.answers.record(transferredChatDocument(transferred)));
    return transferredChatDocument(await atPathParameter('conversationId', 'conversation.id', transferring));
  }
}
