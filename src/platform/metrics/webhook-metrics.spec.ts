import { WORKER_METRICS, metricsRegistry, registerMetrics } from './registry';
import { recordWebhookDeliveryFailure } from './webhook-metrics';

describe('recordWebhookDeliveryFailure', () => {
  beforeAll(() => registerMetrics(WORKER_METRICS));

  it('counts failures per client application', async () => {
    recordWebhookDeliveryFailure('7');
    recordWebhookDeliveryFailure(7);
    recordWebhookDeliveryFailure('8');
    const metric = await metricsRegistry.getSingleMetric('webhook_delivery_failures_total')!.get();
    const byApp = Object.fromEntries(metric.values.map((v) => [v.labels.client_application_id, v.value]));
    expect(byApp).toEqual({ '7': 2, '8': 1 });
  });
});
