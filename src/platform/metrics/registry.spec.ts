import { API_METRICS, WORKER_METRICS, metricsRegistry, registerMetrics } from './registry';

describe('registerMetrics', () => {
  afterEach(() => metricsRegistry.clear());

  it('adds only the metrics it is given, and a second call changes nothing', async () => {
    registerMetrics(API_METRICS);
    registerMetrics(API_METRICS);
    const names = (await metricsRegistry.getMetricsAsJSON()).map((m) => m.name).sort();
    expect(names).toEqual(['http_request_duration_seconds', 'http_requests_total']);
  });

  it('keeps the api and worker sets apart', async () => {
    registerMetrics(WORKER_METRICS);
    const names = (await metricsRegistry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toContain('assignment_latency_seconds');
    expect(names).not.toContain('http_requests_total');
  });
});
