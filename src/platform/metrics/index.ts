/** What the rest of the code may use of the metrics platform. */
export { MetricsModule } from './metrics.module';
export { WorkerMetricsModule } from './worker-metrics.module';
export { countAnswerBeforeExpress, httpMetricsMiddleware } from './http-metrics.middleware';
export { recordWebhookDeliveryFailure } from './webhook-metrics';
export { recordAssignmentFailure, recordAssignmentLatency, recordExpiryFailure } from './assignment-metrics';
export { joinClusterMetrics, serveClusterMetrics } from './cluster-metrics';
export { metricsRegistry } from './registry';
