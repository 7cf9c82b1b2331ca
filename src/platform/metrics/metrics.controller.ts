import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { METRICS_PATH } from '../health/health.paths';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { renderMetrics } from './cluster-metrics';
import { metricsRegistry } from './registry';

@ApiTags('operations')
@Controller()
export class MetricsController {
  @Get(METRICS_PATH)
  @ApiEndpoint({
    summary: 'Prometheus metrics of the api (all api processes when API_PROCESSES > 1)',
    description: 'HTTP requests and latency by route template and status, queue depth, outbox backlog, live workers, Node.js process metrics. Text exposition format.',
    auth: 'none',
    unavailableError: false,
    negotiated: false,
    ok: {
      mediaType: 'text/plain; version=0.0.4',
      example:
        '# HELP http_requests_total HTTP requests answered, by method, route template and status code\n# TYPE http_requests_total counter\n' +
        'http_requests_total{method="POST",route="/system/ws/v19/clientapplications/messaging/conversation/start",status="200"} 1523\n',
    },
  })
  async metrics(@Res() res: Response): Promise<void> {
    const text = await renderMetrics();
    res.status(200).type(metricsRegistry.contentType).send(text);
  }
}
