import { Module, type OnModuleInit } from '@nestjs/common';
import { startDefaultMetrics } from './default-metrics';
import { JobMetrics } from './job-metrics';
import { WORKER_METRICS, registerMetrics } from './registry';
import { ScrapeMetrics } from './scrape-metrics';

/** The worker's metrics: job and assignment latency, plus the platform gauges; served on WORKER_HEALTH_PORT. */
@Module({
  providers: [ScrapeMetrics, JobMetrics],
})
export class WorkerMetricsModule implements OnModuleInit {
  onModuleInit(): void {
    registerMetrics(WORKER_METRICS);
    startDefaultMetrics();
  }
}
