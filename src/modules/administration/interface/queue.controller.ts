import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { ASSIGNMENT_STRATEGIES } from '../../agent';
import { AdministratorGuard } from '../../user-account';
import { CreateQueue } from '../application/create-queue/create-queue.use-case';
import { GetQueue } from '../application/get-queue/get-queue.use-case';
import { ListQueues } from '../application/list-queues/list-queues.use-case';
import { UpdateQueue } from '../application/update-queue/update-queue.use-case';
import { PagedList, crudDocs } from './admin-api-doc';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig } from '../../../platform/config/app-config';
import { CreateQueueRequest, UpdateQueueRequest } from './queue.request';
import { DocumentBody } from '../../../platform/http/document-body';

class QueueView {
  @ApiProperty({ example: '3' }) id: string;
  @ApiProperty({ example: '1' }) departmentId: string;
  @ApiProperty({ example: 'Returns chat' }) name: string;
  @ApiProperty({ enum: ASSIGNMENT_STRATEGIES }) strategy: string;
}
class QueueDocument {
  @ApiProperty({ type: QueueView }) queue: QueueView;
}
class QueueList extends PagedList {
  @ApiProperty({ type: QueueView, isArray: true }) queue: QueueView[];
}
class QueueListDocument {
  @ApiProperty({ type: QueueList }) queues: QueueList;
}

const DOCS = crudDocs({
  name: 'queue',
  plural: 'queues',
  xmlRoot: 'queue',
  type: QueueDocument,
  listType: QueueListDocument,
  createType: CreateQueueRequest,
  updateType: UpdateQueueRequest,
  example: { id: '3', departmentId: '1', name: 'Returns chat', strategy: 'least_loaded' },
  createExample: { departmentId: '1', name: 'Returns chat', strategy: 'least_loaded' },
  updateExample: { strategy: 'round_robin' },
  createErrors: ['ReferenceNotFound', 'ResourceAlreadyExists'],
  updateErrors: ['ResourceAlreadyExists'],
  createNote: 'The strategy chooses among the available agents of the queue: least_loaded (fewest chats first) or round_robin (longest since last assignment first).',
  updateNote: 'A new strategy applies to the next assignments.',
});

const PATH = 'ws/v19/administration/queues';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class QueueController {
  constructor(
    private readonly listQueues: ListQueues,
    private readonly getQueue: GetQueue,
    private readonly createQueue: CreateQueue,
    private readonly updateQueue: UpdateQueue,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query() query: Record<string, unknown>) {
    const page = listPageOf(query, 'a queue');
    return listDocument('queues', 'queue', await this.listQueues.execute(page), page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}` });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { queue: tagged(res, await this.getQueue.execute(pathId('queue', id))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('queue') body: unknown, @Res({ passthrough: true }) res: Response) {
    return { queue: tagged(res, await this.createQueue.execute(validateBody(CreateQueueRequest, body))) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('queue') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateQueueRequest, body);
    return { queue: tagged(res, await this.updateQueue.execute(pathId('queue', id), request, expectedVersionOf(ifMatch))) };
  }
}
