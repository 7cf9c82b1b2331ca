import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { HealthChecks } from './health-checks';
import { HEALTH_LIVE_PATH, HEALTH_READY_PATH } from './health.paths';
import { HEALTH_REPORT_SCHEMA, NOT_READY_EXAMPLE, READY_EXAMPLE } from './health.schema';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly checks: HealthChecks) {}

  @Get(HEALTH_LIVE_PATH)
  @ApiEndpoint({
    summary: 'Liveness: the api process answers',
    description: 'Checks no dependency, so an outage of MySQL or Redis never gets the process restarted.',
    auth: 'none',
    unavailableError: false,
    ok: { schema: HEALTH_REPORT_SCHEMA, example: { status: 'ok', info: {}, error: {}, details: {} } },
  })
  async live(@Res({ passthrough: true }) res: Response) {
    const answer = await this.checks.liveness();
    res.status(answer.status);
    return answer.body;
  }

  @Get(HEALTH_READY_PATH)
  @ApiEndpoint({
    summary: 'Readiness: MySQL and Redis answer and at least one assignment worker is alive',
    description: 'A worker is alive when its heartbeat (table worker_heartbeat) is younger than WORKER_HEARTBEAT_TTL_MS. Each check has one second.',
    auth: 'none',
    unavailableError: false,
    ok: { description: 'Ready', schema: HEALTH_REPORT_SCHEMA, example: READY_EXAMPLE },
    otherAnswers: [{ status: 503, description: 'Not ready; `error` names the failing checks', schema: HEALTH_REPORT_SCHEMA, example: NOT_READY_EXAMPLE }],
  })
  async ready(@Res({ passthrough: true }) res: Response) {
    const answer = await this.checks.readiness('api');
    res.status(answer.status);
    return answer.body;
  }
}
