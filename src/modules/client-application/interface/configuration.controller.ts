import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { invalidQueryValue, queryValueOnce } from '../../../platform/http/query-value';
import { canonicalId } from '../../../platform/http/wire-id';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { ReadEntryPointConfiguration } from '../application/read-entry-point-configuration/read-entry-point-configuration.use-case';
import type { ClientApplicationPrincipal } from '../domain/client-application';
import { CONFIGURATION_DOC } from './client-application.api-doc';
import { ClientApplicationGuard, CurrentClientApplication } from './client-application.guard';

@ApiTags('messaging')
@Controller('ws/v19/clientapplications/messaging/configuration')
@UseGuards(ClientApplicationGuard)
export class ConfigurationController {
  constructor(private readonly readConfiguration: ReadEntryPointConfiguration) {}

  @Get()
  @ApiEndpoint(CONFIGURATION_DOC)
  async get(@CurrentClientApplication() principal: ClientApplicationPrincipal, @Query('entrypoint') given: unknown) {
    // Other parameters are ignored (a widget may add a cache buster); the one it reads is given once, as on the start.
    const entrypoint = queryValueOnce('entrypoint', given);
    const entryPointId = entrypoint === undefined ? undefined : canonicalId(entrypoint);
    if (entryPointId === undefined) invalidQueryValue('entrypoint', 'entrypoint must be one entry point id');
    const entryPoint = await this.readConfiguration.execute(principal, entryPointId);
    return {
      entryPointConfiguration: [
        {
          entryPoint: { id: entryPoint.id, name: entryPoint.name, active: entryPoint.active },
          department: { id: entryPoint.departmentId },
          lastModified: { date: entryPoint.lastModified.toISOString() },
        },
      ],
    };
  }
}
