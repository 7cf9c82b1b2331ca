import { Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { ClsService } from 'nestjs-cls';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { ChangeCallbackSettingsCommand, ChangeCallbackSettingsRequest, callbackDocument } from '../../webhook';
import { ChangeApplicationCallback } from '../application/change-application-callback/change-application-callback.use-case';
import type { ClientApplicationWithSecret, WithCallbackSigningSecret } from '../application/client-credentials';
import { CreateClientApplication } from '../application/create-client-application/create-client-application.use-case';
import { GetClientApplication } from '../application/get-client-application/get-client-application.use-case';
import { ReactivateApplicationCallback } from '../application/reactivate-application-callback/reactivate-application-callback.use-case';
import { ReadApplicationCallback } from '../application/read-application-callback/read-application-callback.use-case';
import { ListClientApplications } from '../application/list-client-applications/list-client-applications.use-case';
import { RotateCallbackSigningSecret } from '../application/rotate-callback-signing-secret/rotate-callback-signing-secret.use-case';
import { RotateClientSecret } from '../application/rotate-client-secret/rotate-client-secret.use-case';
import { UpdateClientApplication } from '../application/update-client-application/update-client-application.use-case';
import type { ClientApplicationSettings } from '../domain/configuration';
import { expectedVersionOf, listDocument, pathId, tagged } from './admin-wire';
import { listPageOf } from './list-page.query';
import { AppConfig, MAX_SECRET_OVERLAP_SECONDS, blockPrivateCallbackAddresses } from '../../../platform/config/app-config';
import { CLIENT_APPLICATION_DOCS as DOCS } from './client-application.api-doc';
import { CreateClientApplicationRequest, UpdateClientApplicationRequest } from './client-application.request';
import { DocumentBody } from '../../../platform/http/document-body';
import { invalidQueryValue, queryValueOnce } from '../../../platform/http/query-value';

const RESOURCE = 'client application';

function view(a: (ClientApplicationSettings | ClientApplicationWithSecret) & WithCallbackSigningSecret) {
  const { createdAt, secretChangedAt, callbackSigningSecretChangedAt, callbackChangedAt, callbackUrl, ...rest } = a;
  return {
    ...rest,
    ...(callbackUrl ? { callbackUrl } : {}),
    createdDate: { date: createdAt.toISOString() },
    secretChangedDate: { date: secretChangedAt.toISOString() },
    ...(callbackSigningSecretChangedAt ? { callbackSigningSecretChangedDate: { date: callbackSigningSecretChangedAt.toISOString() } } : {}),
    ...(callbackChangedAt ? { callbackChangedDate: { date: callbackChangedAt.toISOString() } } : {}),
  };
}

/** `keepPreviousSeconds`: absent for the configured overlap, else whole seconds up to 30 days. */
function keepPreviousSeconds(given: unknown): number | undefined {
  const value = queryValueOnce('keepPreviousSeconds', given);
  if (value === undefined) return undefined;
  if (!/^\d{1,7}$/.test(value) || Number(value) > MAX_SECRET_OVERLAP_SECONDS) {
    invalidQueryValue('keepPreviousSeconds', `keepPreviousSeconds must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP_SECONDS}`);
  }
  return Number(value);
}

const PATH = 'ws/v19/administration/clientapplications';

@ApiTags('administration')
@Controller(PATH)
@UseGuards(AdministratorGuard)
export class ClientApplicationController {
  constructor(
    private readonly listApplications: ListClientApplications,
    private readonly getApplication: GetClientApplication,
    private readonly createApplication: CreateClientApplication,
    private readonly updateApplication: UpdateClientApplication,
    private readonly rotateSecret: RotateClientSecret,
    private readonly rotateSigningSecret: RotateCallbackSigningSecret,
    private readonly changeCallback: ChangeApplicationCallback,
    private readonly readCallback: ReadApplicationCallback,
    private readonly reactivateCallback: ReactivateApplicationCallback,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@Query() query: Record<string, unknown>) {
    const page = listPageOf(query, 'a client application');
    const found = await this.listApplications.execute(page);
    return listDocument('clientApplications', 'clientApplication', { ...found, items: found.items.map(view) }, page.limit, { href: `${this.config.CONTEXT_PATH}/${PATH}` });
  }

  @Get(':id')
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return { clientApplication: view(tagged(res, await this.getApplication.execute(pathId(RESOURCE, id)))) };
  }

  @Post()
  @HttpCode(201)
  @ApiEndpoint(DOCS.create)
  async create(@DocumentBody('clientApplication') body: unknown, @Res({ passthrough: true }) res: Response) {
    return { clientApplication: view(tagged(res, await this.createApplication.execute(validateBody(CreateClientApplicationRequest, body), this.cls.getId()))) };
  }

  @Patch(':id')
  @ApiEndpoint(DOCS.update)
  async update(@Param('id') id: string, @DocumentBody('clientApplication') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(UpdateClientApplicationRequest, body);
    return { clientApplication: view(tagged(res, await this.updateApplication.execute(pathId(RESOURCE, id), request, this.cls.getId(), expectedVersionOf(ifMatch)))) };
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiEndpoint(DOCS.rotateSecret)
  async secret(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    return { clientApplication: view(tagged(res, await this.rotateSecret.execute(pathId(RESOURCE, id), expectedVersionOf(ifMatch)))) };
  }

  /**
   * The callback's routes are here rather than in the webhook module for the application's
   * version, which is this module's (the webhook module cannot depend on it: this one depends on
   * the webhook module). The callback document answers the application's version as its ETag.
   */
  @Get(':id/callback')
  @ApiEndpoint(DOCS.readCallback)
  async readCallbackOf(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const { application, callback } = await this.readCallback.execute(pathId(RESOURCE, id));
    tagged(res, application);
    return callbackDocument(callback);
  }

  /** Answers the callback document and, as ETag, the application's new version. */
  @Put(':id/callback')
  @ApiEndpoint(DOCS.changeCallback)
  async callback(@Param('id') id: string, @DocumentBody('callback') body: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const request = validateBody(ChangeCallbackSettingsRequest, body);
    const command = ChangeCallbackSettingsCommand.create(
      { url: request.url, format: request.format, authentication: request.authentication },
      { blockPrivateAddresses: blockPrivateCallbackAddresses(this.config) },
    );
    const { application, callback, signingSecret } = await this.changeCallback.execute(pathId(RESOURCE, id), command, this.cls.getId(), expectedVersionOf(ifMatch));
    tagged(res, application);
    return callbackDocument(callback, signingSecret);
  }

  /** Answers the callback document and, as ETag, the application's new version. */
  @Post(':id/callback/reactivate')
  @HttpCode(200)
  @ApiEndpoint(DOCS.reactivateCallback)
  async reactivate(@Param('id') id: string, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const { application, callback } = await this.reactivateCallback.execute(pathId(RESOURCE, id), this.cls.getId(), expectedVersionOf(ifMatch));
    tagged(res, application);
    return callbackDocument(callback);
  }

  /** Answers, as ETag, the application's new version. */
  @Post(':id/callback/signing-secret')
  @HttpCode(200)
  @ApiEndpoint(DOCS.rotateCallbackSigningSecret)
  async signingSecret(@Param('id') id: string, @Query('keepPreviousSeconds') keep: unknown, @Headers('if-match') ifMatch: string | undefined, @Res({ passthrough: true }) res: Response) {
    const { application, rotated } = await this.rotateSigningSecret.execute(pathId(RESOURCE, id), keepPreviousSeconds(keep), expectedVersionOf(ifMatch));
    tagged(res, application);
    return { signingSecret: { value: rotated.value, ...(rotated.previousValidUntil ? { previousValidUntil: { date: rotated.previousValidUntil.toISOString() } } : {}) } };
  }
}
