import { Controller, Get, HttpCode, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AgentGuard, CurrentUser, type UserPrincipal } from '../../user-account';
import { ReadAgentStatus } from '../application/read-agent-status/read-agent-status.use-case';
import { SetAvailability } from '../application/set-availability/set-availability.use-case';
import { SetChatLimit } from '../application/set-chat-limit/set-chat-limit.use-case';
import { AGENT_STATUS_DOCS as DOCS } from './agent-status.api-doc';
import { SetAvailabilityRequest, SetChatLimitRequest } from './agent-status.request';
import { agentStatusDocument } from './agent-status.response';
import { DocumentBody } from '../../../platform/http/document-body';

/** The agent's own presence and capacity. */
@ApiTags('agent')
@Controller('ws/v19/agent')
@UseGuards(AgentGuard)
export class AgentStatusController {
  constructor(private readonly readStatus: ReadAgentStatus, private readonly setAvailability: SetAvailability, private readonly setChatLimit: SetChatLimit) {}

  @Get('availability')
  @ApiEndpoint(DOCS.read)
  async status(@CurrentUser() user: UserPrincipal) {
    return agentStatusDocument(await this.readStatus.execute(user.userId));
  }

  @Put('availability')
  @HttpCode(200)
  @ApiEndpoint(DOCS.setAvailability)
  async availability(@CurrentUser() user: UserPrincipal, @DocumentBody('agent') body: unknown) {
    const request = validateBody(SetAvailabilityRequest, body);
    return agentStatusDocument(await this.setAvailability.execute({ agentId: user.userId, availability: request.availability }));
  }

  @Put('chatlimit')
  @HttpCode(200)
  @ApiEndpoint(DOCS.setChatLimit)
  async chatLimit(@CurrentUser() user: UserPrincipal, @DocumentBody('agent') body: unknown) {
    const request = validateBody(SetChatLimitRequest, body);
    return agentStatusDocument(await this.setChatLimit.execute({ agentId: user.userId, maxChats: Number(request.maxChats) }));
  }
}
