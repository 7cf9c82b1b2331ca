import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { CreateDepartment } from '../application/create-department/create-department.use-case';
import { GetDepartment } from '../application/get-department/get-department.use-case';
import { ListDepartments } from '../application/list-departments/list-departments.use-case';
import { UpdateDepartment } from '../application/update-department/update-department.use-case';
import { PagedList, crudDocs } from './admin-api-doc';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig } from '../../../platform/config/app-config';
import { CreateDepartmentRequest, UpdateDepartmentRequest } from './department.request';
import { DocumentBody } from '../../../platform/http/document-body';

class DepartmentView {
  @ApiProperty({ example: '3' }) id: string;
  @ApiProperty({ example: 'Billing' }) name: string;
}
class DepartmentDocument {
  @ApiProperty({ type: DepartmentView }) department: DepartmentView;
}
class DepartmentList extends PagedList {
  @ApiProperty({ type: DepartmentView, isArray: true }) department: DepartmentView[];
}
class DepartmentListDocument {
  @ApiProperty({ type: DepartmentList }) departments: DepartmentList;
}

const DOCS = crudDocs({
  name: 'department',
  plural: 'departments',
  xmlRoot: 'department',
  type: DepartmentDocument,
  listType: DepartmentListDocument,
  createType: CreateDepartmentRequest,
  updateType: UpdateDepartmentRequest,
  example: { id: '3', name: 'Billing' },
  createExample: { name: 'Billing' },
  updateExample: { name: 'Billing and refunds' },
  createErrors: ['ResourceAlreadyExists'],
  updateErrors: ['ResourceAlreadyExists'],
});

const PATH = 'ws/v19/administration/departments';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class DepartmentController {
  constructor(
    private readonly listDepartments: ListDepartments,
    private readonly getDepartment: GetDepartment,
    private readonly createDepartment: CreateDepartment,
    private readonly updateDepartment: UpdateDepartment,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query() query: Record<string, unknown>) {
    const page = listPageOf(query, 'a department');
    return listDocument('departments', 'department', await this.listDepartments.execute(page), page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}` });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { department: tagged(res, await this.getDepartment.execute(pathId('department', id))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('department') body: unknown, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(CreateDepartmentRequest, body);
    return { department: tagged(res, await this.createDepartment.execute(request)) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('department') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateDepartmentRequest, body);
    return { department: tagged(res, await this.updateDepartment.execute(pathId('department', id), request, expectedVersionOf(ifMatch))) };
  }
}
