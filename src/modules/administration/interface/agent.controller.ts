import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { CreateAgent } from '../application/create-agent/create-agent.use-case';
import { GetAgent } from '../application/get-agent/get-agent.use-case';
import { ListAgents } from '../application/list-agents/list-agents.use-case';
import { UpdateAgent } from '../application/update-agent/update-agent.use-case';
import { AVAILABILITIES } from '../domain/configuration';
import { PagedList, crudDocs } from './admin-api-doc';
import { CreateAgentRequest, UpdateAgentRequest } from './agent.request';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig } from '../../../platform/config/app-config';
import { DocumentBody } from '../../../platform/http/document-body';

class AgentView {
  @ApiProperty({ example: '7', description: 'the id of the agent\'s user account' }) id: string;
  @ApiProperty({ example: 'dave' }) username: string;
  @ApiProperty({ example: 'Dave Agent' }) displayName: string;
  @ApiProperty({ type: 'integer', example: 3 }) maxChats: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'chats assigned now (read-only)' }) activeChats: number;
  @ApiProperty({ enum: AVAILABILITIES }) availability: string;
  @ApiProperty({ type: [String], example: ['1'] }) queueIds: string[];
}
class AgentDocument {
  @ApiProperty({ type: AgentView }) agent: AgentView;
}
class AgentList extends PagedList {
  @ApiProperty({ type: AgentView, isArray: true }) agent: AgentView[];
}
class AgentListDocument {
  @ApiProperty({ type: AgentList }) agents: AgentList;
}

const DOCS = crudDocs({
  name: 'agent',
  plural: 'agents',
  xmlRoot: 'agent',
  type: AgentDocument,
  listType: AgentListDocument,
  createType: CreateAgentRequest,
  updateType: UpdateAgentRequest,
  example: { id: '7', username: 'dave', displayName: 'Dave Agent', maxChats: 3, activeChats: 0, availability: 'logged_out', queueIds: ['1'] },
  createExample: { username: 'dave', password: 'a-long-password', displayName: 'Dave Agent', maxChats: 3, queueIds: ['1'] },
  updateExample: { maxChats: 5, queueIds: ['1', '2'] },
  createErrors: ['ReferenceNotFound', 'ResourceAlreadyExists', 'AgentNotLoggedIn'],
  updateErrors: ['ReferenceNotFound', 'ChatLimitBelowActiveChats', 'AgentNotLoggedIn'],
  createNote:
    'Creates the user account (role agent, password stored as a scrypt hash), the agent and its queues. The agent logs in with POST .../agent/authentication/login. ' +
    'The agent is logged_out until it logs in (presence follows sessions): availability available or not_available is refused with 409 AgentNotLoggedIn.',
  updateNote:
    'queueIds replaces the agent\'s queues. maxChats cannot go below activeChats (409 ChatLimitBelowActiveChats), as with the agent\'s own PUT .../agent/chatlimit. ' +
    'Capacity opened here (available, a higher maxChats, a new queue) reaches the chats waiting in the queues concerned at once, as with the agent\'s own routes. ' +
    'Presence follows sessions: availability available or not_available is refused with 409 AgentNotLoggedIn while the agent has no live session, and logged_out ends its ' +
    'live sessions, as its own logout would. A new password ends them too (its tokens then get 401 SessionNotFound) and the agent is logged_out; setting available or ' +
    'not_available in the same change is refused. Open chats stay assigned either way.',
});

const PATH = 'ws/v19/administration/agents';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class AgentController {
  constructor(
    private readonly listAgents: ListAgents,
    private readonly getAgent: GetAgent,
    private readonly createAgent: CreateAgent,
    private readonly updateAgent: UpdateAgent,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query() query: Record<string, unknown>) {
    const page = listPageOf(query, 'an agent');
    return listDocument('agents', 'agent', await this.listAgents.execute(page), page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}` });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { agent: tagged(res, await this.getAgent.execute(pathId('agent', id))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('agent') body: unknown, @Res({ passthrough: true }) res: Response) {
    return { agent: tagged(res, await this.createAgent.execute(validateBody(CreateAgentRequest, body))) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('agent') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateAgentRequest, body);
    return { agent: tagged(res, await this.updateAgent.execute(pathId('agent', id), request, expectedVersionOf(ifMatch))) };
  }
}
