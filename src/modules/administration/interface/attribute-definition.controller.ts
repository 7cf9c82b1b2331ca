import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { CreateAttributeDefinition } from '../application/create-attribute-definition/create-attribute-definition.use-case';
import { GetAttributeDefinition } from '../application/get-attribute-definition/get-attribute-definition.use-case';
import { ListAttributeDefinitions } from '../application/list-attribute-definitions/list-attribute-definitions.use-case';
import { UpdateAttributeDefinition } from '../application/update-attribute-definition/update-attribute-definition.use-case';
import { ATTRIBUTE_TYPES } from '../domain/configuration';
import { PagedList, crudDocs } from './admin-api-doc';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig } from '../../../platform/config/app-config';
import { invalidQueryValue, queryValueOnce } from '../../../platform/http/query-value';
import { CreateAttributeDefinitionRequest, UpdateAttributeDefinitionRequest } from './attribute-definition.request';
import { DocumentBody } from '../../../platform/http/document-body';

const RESOURCE = 'attribute definition';

class AttributeDefinitionView {
  @ApiProperty({ example: '5' }) id: string;
  @ApiProperty({ enum: ['activity', 'contact'] }) scope: string;
  @ApiProperty({ example: 'order_channel' }) name: string;
  @ApiProperty({ enum: ATTRIBUTE_TYPES }) type: string;
  @ApiProperty({ type: [String], example: ['web', 'app', 'store'] }) enumValues: string[];
  @ApiProperty({ type: 'integer', example: 16 }) maxLength: number;
  @ApiProperty() searchable: boolean;
}
class AttributeDefinitionDocument {
  @ApiProperty({ type: AttributeDefinitionView }) attributeDefinition: AttributeDefinitionView;
}
class AttributeDefinitionList extends PagedList {
  @ApiProperty({ type: AttributeDefinitionView, isArray: true }) attributeDefinition: AttributeDefinitionView[];
}
class AttributeDefinitionListDocument {
  @ApiProperty({ type: AttributeDefinitionList }) attributeDefinitions: AttributeDefinitionList;
}

const crud = crudDocs({
  name: RESOURCE,
  plural: 'attributeDefinitions',
  xmlRoot: 'attributeDefinition',
  type: AttributeDefinitionDocument,
  listType: AttributeDefinitionListDocument,
  createType: CreateAttributeDefinitionRequest,
  updateType: UpdateAttributeDefinitionRequest,
  example: { id: '5', scope: 'activity', name: 'order_channel', type: 'enum', enumValues: ['web', 'app', 'store'], maxLength: 16, searchable: false },
  createExample: { scope: 'activity', name: 'order_channel', type: 'enum', enumValues: ['web', 'app', 'store'], maxLength: 16 },
  updateExample: { enumValues: ['web', 'app', 'store', 'phone'] },
  createErrors: ['ResourceAlreadyExists'],
  createNote: 'An enum lists its values (each within maxLength, made of the characters a custom attribute value may hold but U+FFFE and U+FFFF); a string lists none. Only contact attributes can be searchable.',
  updateNote: 'The new rules apply to the next starts, in this api process at once, in others within CONFIG_CACHE_TTL_MS.',
});
const DOCS = { ...crud, list: { ...crud.list, query: [{ name: 'scope', required: false, enum: ['activity', 'contact'] }, ...(crud.list.query ?? [])] } };

const PATH = 'ws/v19/administration/attributes';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class AttributeDefinitionController {
  constructor(
    private readonly listDefinitions: ListAttributeDefinitions,
    private readonly getDefinition: GetAttributeDefinition,
    private readonly createDefinition: CreateAttributeDefinition,
    private readonly updateDefinition: UpdateAttributeDefinition,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query('scope') given: unknown, @Query() query: Record<string, unknown>) {
    const scope = queryValueOnce('scope', given);
    if (scope !== undefined && scope !== 'activity' && scope !== 'contact') invalidQueryValue('scope', 'scope must be activity or contact');
    const page = listPageOf(query, 'an attribute definition');
    const found = await this.listDefinitions.execute(page, scope);
    return listDocument('attributeDefinitions', 'attributeDefinition', found, page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}`, query: { scope } });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { attributeDefinition: tagged(res, await this.getDefinition.execute(pathId(RESOURCE, id))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('attributeDefinition') body: unknown, @Res({ passthrough: true }) res: Response) {
    const r = validateBody(CreateAttributeDefinitionRequest, body);
    const definition = await this.createDefinition.execute({
      scope: r.scope,
      name: r.name,
      type: r.type,
      enumValues: r.enumValues ?? [],
      maxLength: r.maxLength ?? 255,
      searchable: r.searchable ?? false,
    });
    return { attributeDefinition: tagged(res, definition) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('attributeDefinition') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateAttributeDefinitionRequest, body);
    return { attributeDefinition: tagged(res, await this.updateDefinition.execute(pathId(RESOURCE, id), request, expectedVersionOf(ifMatch))) };
  }
}
