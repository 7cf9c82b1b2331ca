import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { AdministratorGuard } from '../../user-account';
import { CreateEntryPoint } from '../application/create-entry-point/create-entry-point.use-case';
import { GetEntryPoint } from '../application/get-entry-point/get-entry-point.use-case';
import { ListEntryPoints } from '../application/list-entry-points/list-entry-points.use-case';
import { UpdateEntryPoint } from '../application/update-entry-point/update-entry-point.use-case';
import type { EntryPointSettings } from '../domain/configuration';
import { PagedList, crudDocs } from './admin-api-doc';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig } from '../../../platform/config/app-config';
import { CreateEntryPointRequest, UpdateEntryPointRequest } from './entry-point.request';
import { DocumentBody } from '../../../platform/http/document-body';

class EntryPointView {
  @ApiProperty({ example: '1003' }) id: string;
  @ApiProperty({ example: '1' }) departmentId: string;
  @ApiProperty({ example: '1' }) queueId: string;
  @ApiProperty({ example: 'Mobile app chat' }) name: string;
  @ApiProperty() active: boolean;
  @ApiProperty({ type: DateValue, description: 'what a start must send as entryPointConfiguration.lastModified.date' }) lastModified: DateValue;
}
class EntryPointDocument {
  @ApiProperty({ type: EntryPointView }) entryPoint: EntryPointView;
}
class EntryPointList extends PagedList {
  @ApiProperty({ type: EntryPointView, isArray: true }) entryPoint: EntryPointView[];
}
class EntryPointListDocument {
  @ApiProperty({ type: EntryPointList }) entryPoints: EntryPointList;
}

const DOCS = crudDocs({
  name: 'entry point',
  plural: 'entryPoints',
  xmlRoot: 'entryPoint',
  type: EntryPointDocument,
  listType: EntryPointListDocument,
  createType: CreateEntryPointRequest,
  updateType: UpdateEntryPointRequest,
  example: { id: '1003', departmentId: '1', queueId: '1', name: 'Mobile app chat', active: true, lastModified: { date: '2026-11-26T09:00:00.000Z' } },
  createExample: { departmentId: '1', queueId: '1', name: 'Mobile app chat', active: true },
  updateExample: { name: 'Mobile app chat (beta)' },
  createErrors: ['ReferenceNotFound', 'QueueNotInDepartment'],
  updateErrors: ['ReferenceNotFound', 'QueueNotInDepartment'],
  updateNote:
    'Every change moves lastModified forward: clients still holding the previous date get 409-101 at their next start and reread the ' +
    'configuration; a PATCH that changes nothing leaves it. This api process sees the change at once; other processes within CONFIG_CACHE_TTL_MS.',
});

const view = (e: EntryPointSettings) => ({ ...e, lastModified: { date: e.lastModified.toISOString() } });

const PATH = 'ws/v19/administration/entrypoints';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class EntryPointController {
  constructor(
    private readonly listEntryPoints: ListEntryPoints,
    private readonly getEntryPoint: GetEntryPoint,
    private readonly createEntryPoint: CreateEntryPoint,
    private readonly updateEntryPoint: UpdateEntryPoint,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query() query: Record<string, unknown>) {
    const page = listPageOf(query, 'an entry point');
    const found = await this.listEntryPoints.execute(page);
    return listDocument('entryPoints', 'entryPoint', { ...found, items: found.items.map(view) }, page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}` });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { entryPoint: view(tagged(res, await this.getEntryPoint.execute(pathId('entry point', id)))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('entryPoint') body: unknown, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(CreateEntryPointRequest, body);
    return { entryPoint: view(tagged(res, await this.createEntryPoint.execute({ ...request, active: request.active ?? true }))) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('entryPoint') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateEntryPointRequest, body);
    return { entryPoint: view(tagged(res, await this.updateEntryPoint.execute(pathId('entry point', id), request, expectedVersionOf(ifMatch)))) };
  }
}
