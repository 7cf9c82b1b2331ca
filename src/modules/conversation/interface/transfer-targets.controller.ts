import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { AgentGuard, CurrentUser, type UserPrincipal } from '../../user-account';
import { ListTransferTargets } from '../application/list-transfer-targets/list-transfer-targets.use-case';
import { TRANSFER_TARGETS_DOCS as DOCS } from './transfer-targets.api-doc';
import { transferTargetsDocument } from './transfer-targets.response';

/** What an agent may hand its chats to, so that an agent application need not know the ids beforehand. */
@ApiTags('agent')
@Controller('ws/v19/agent/transfertargets')
@UseGuards(AgentGuard)
export class TransferTargetsController {
  constructor(private readonly listTargets: ListTransferTargets) {}

  @Get()
  @ApiEndpoint(DOCS.list)
  async list(@CurrentUser() user: UserPrincipal) {
    return transferTargetsDocument(await this.listTargets.execute(user.userId));
  }
}
