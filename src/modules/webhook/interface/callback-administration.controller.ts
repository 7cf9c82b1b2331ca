import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClsService } from 'nestjs-cls';
import { canonicalId } from '../../../platform/http/wire-id';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AdministratorGuard } from '../../user-account';
import { ClientApplicationNotFound } from '../application/callback-view';
import { ReactivateCallback } from '../application/reactivate-callback/reactivate-callback.use-case';
import { CALLBACK_DOCS as DOCS } from './callback.api-doc';
import { callbackDocument } from './callback-settings.response';

function applicationId(id: string): string {
  const canonical = canonicalId(id);
  if (canonical === undefined) throw new ClientApplicationNotFound(id);
  return canonical;
}

/**
 * Administrators reactivate every application's callback. Its reading (`GET …/callback`, which
 * answers the application's version) and its changes, the settings' (`PUT …/callback`) and the
 * signing secret's rotation (`…/callback/signing-secret`), are the administration module's, which
 * checks the application's version (If-Match) under the row's lock before it runs this module's
 * ChangeCallbackSettings or RotateSigningSecret.
 */
@ApiTags('administration')
@Controller('ws/v19/administration/clientapplications/:id/callback')
@UseGuards(AdministratorGuard)
export class CallbackAdministrationController {
  constructor(
    private readonly reactivate: ReactivateCallback,
    private readonly cls: ClsService,
  ) {}

  @Post('reactivate')
  @HttpCode(200)
  @ApiEndpoint(DOCS.reactivate)
  async reactivateUrl(@Param('id') id: string) {
    return callbackDocument(await this.reactivate.execute(applicationId(id), 'administrator', this.cls.getId()));
  }
}
