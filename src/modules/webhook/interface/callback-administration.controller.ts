import { Body, Controller, Get, HttpCode, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { AppConfig, blockPrivateCallbackAddresses } from '../../../platform/config/app-config';
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
import { CALLBACK_DOCS as DOCS } from './callback.api-doc';
import { ChangeCallbackSettingsRequest } from './callback-settings.request';
import { callbackDocument } from './callback-settings.response';

function applicationId(id: string): string {
  const canonical = canonicalId(id);
  if (canonical === undefined) throw new ClientApplicationNotFound(id);
  return canonical;
}

/**
 * Administrators manage every application's callback: settings and reactivation. The signing
 * secret's rotation is the administration module's (`…/callback/signing-secret`), which checks the
 * application's version (If-Match) before it runs this module's RotateSigningSecret.
 */
@ApiTags('administration')
@Controller('ws/v19/administration/clientapplications/:id/callback')
@UseGuards(AdministratorGuard)
export class CallbackAdministrationController {
  constructor(
    private readonly read: ReadCallbackSettings,
    private readonly change: ChangeCallbackSettings,
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

  @Post('reactivate')
  @HttpCode(200)
  @ApiEndpoint(DOCS.reactivate)
  async reactivateUrl(@Param('id') id: string) {
    return callbackDocument(await this.reactivate.execute(applicationId(id), 'administrator', this.cls.getId()));
  }
}
