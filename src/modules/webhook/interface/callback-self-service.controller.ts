import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ClsService } from 'nestjs-cls';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { ClientApplicationGuard, CurrentClientApplication, type ClientApplicationPrincipal } from '../../client-application';
import { ReactivateCallback } from '../application/reactivate-callback/reactivate-callback.use-case';
import { ReadCallbackSettings } from '../application/read-callback-settings/read-callback-settings.use-case';
import { CALLBACK_DOCS as DOCS } from './callback.api-doc';
import { callbackDocument } from './callback-settings.response';

/** A client application reads its own callback state and reactivates its own URL once its receiver is back. */
@ApiTags('messaging')
@Controller('ws/v19/clientapplications/callback')
@UseGuards(ClientApplicationGuard)
export class CallbackSelfServiceController {
  constructor(private readonly read: ReadCallbackSettings, private readonly reactivate: ReactivateCallback, private readonly cls: ClsService) {}

  @Get()
  @ApiEndpoint(DOCS.ownGet)
  async get(@CurrentClientApplication() principal: ClientApplicationPrincipal) {
    return callbackDocument(await this.read.execute(principal.clientApplicationId));
  }

  @Post('reactivate')
  @HttpCode(200)
  @ApiEndpoint(DOCS.ownReactivate)
  async reactivateUrl(@CurrentClientApplication() principal: ClientApplicationPrincipal) {
    return callbackDocument(await this.reactivate.execute(principal.clientApplicationId, 'client application', this.cls.getId()));
  }
}
