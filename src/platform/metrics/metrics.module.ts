import { Module, type OnModuleInit } from '@nestjs/common';
import { joinClusterMetrics } from './cluster-metrics';
import { startDefaultMetrics } from './default-metrics';
import { MetricsController } from './metrics.controller';
import { API_METRICS, registerMetrics } from './registry';
import { ScrapeMetrics } from './scrape-metrics';

/** The api's `/metrics`; HTTP request metrics come from httpMetricsMiddleware, mounted in main.ts. */
@Module({
  controllers: [MetricsController],
  providers: [ScrapeMetrics],
})
export class MetricsModule implements OnModuleInit {
  onModuleInit(): void {
    registerMetrics(API_METRICS);
    startDefaultMetrics();
    joinClusterMetrics();
  }
}
