import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { AppConfig, MAX_SECRET_OVERLAP_SECONDS, blockPrivateCallbackAddresses } from '../../../platform/config/app-config';
import { AppError } from '../../../platform/errors/app-error';
import { validateBody } from '../../../platform/http/validate-body';
import { checkXmlRoot } from '../../../platform/http/document-body';
import { canonicalId } from '../../../platform/http/wire-id';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { ChangeCallbackSettingsCommand } from '../application/change-callback-settings/change-callback-settings.command';
import { ChangeCallbackSettings } from '../application/change-callback-settings/change-callback-settings.use-case';
import { ClientApplicationNotFound } from '../application/callback-view';
import { ReactivateCallback } from '../application/reactivate-callback/reactivate-callback.use-case';
import { ReadCallbackSettings } from '../application/read-callback-settings/read-callback-settings.use-case';
import { RotateSigningSecret } from '../application/rotate-signing-secret/rotate-signing-secret.use-case';
import { CALLBACK_DOCS as DOCS } from './callback.api-doc';
import { ChangeCallbackSettingsRequest } from './callback-settings.request';
import { callbackDocument, rotatedSecretDocument } from './callback-settings.response';

function applicationId(id: string): string {
  const canonical = canonicalId(id);
  if (canonical === undefined) throw new ClientApplicationNotFound(id);
  return canonical;
}

/** `keepPreviousSeconds`: absent for the configured overlap, else whole seconds up to 30 days. */
function keepPreviousSeconds(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,7}$/.test(value) || Number(value) > MAX_SECRET_OVERLAP_SECONDS) {
    throw new AppError('InvalidParameterValue', `keepPreviousSeconds must be a whole number of seconds from 0 to ${MAX_SECRET_OVERLAP_SECONDS}`, 'keepPreviousSeconds', { param: 'keepPreviousSeconds' });
  }
  return Number(value);
}

/** Administrators manage every application's callback: settings, signing secret, reactivation. */
@ApiTags('administration')
@Controller('ws/v19/administration/clientapplications/:id/callback')
@UseGuards(AdministratorGuard)
export class CallbackAdministrationController {
  constructor(
    private readonly read: ReadCallbackSettings,
    private readonly change: ChangeCallbackSettings,
    private readonly rotate: RotateSigningSecret,
    private readonly reactivate: ReactivateCallback,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiEndpoint(DOCS.get)
  async get(@Param('id') id: string) {
    return callbackDocument(await this.read.execute(applicationId(id)));
  }

  @Put()
  @ApiEndpoint(DOCS.put)
  async put(@Param('id') id: string, @Req() req: Request, @Body() body: unknown) {
    checkXmlRoot(req, 'callback');
    const request = validateBody(ChangeCallbackSettingsRequest, body);
    const command = ChangeCallbackSettingsCommand.create(
      { url: request.url, format: request.format, authentication: request.authentication },
      { blockPrivateAddresses: blockPrivateCallbackAddresses(this.config) },
    );
    const changed = await this.change.execute(applicationId(id), command, this.cls.getId());
    return callbackDocument(changed.view, changed.signingSecret);
  }

  @Post('signing-secret')
  @HttpCode(200)
  @ApiEndpoint(DOCS.rotateSecret)
  async rotateSecret(@Param('id') id: string, @Query('keepPreviousSeconds') keep: unknown) {
    return rotatedSecretDocument(await this.rotate.execute(applicationId(id), keepPreviousSeconds(keep)));
  }

  @Post('reactivate')
  @HttpCode(200)
  @ApiEndpoint(DOCS.reactivate)
  async reactivateUrl(@Param('id') id: string) {
    return callbackDocument(await this.reactivate.execute(applicationId(id), 'administrator', this.cls.getId()));
  }
}
