import { Counter, Histogram, Registry, type Metric } from 'prom-client';

/**
 * The one registry of this process. Metrics that are updated on the hot path live here as
 * plain module-level objects, so recording costs a label lookup and an addition; metrics
 * read from MySQL or Redis are collected on scrape (see ScrapeMetrics), never per request.
 * Each kind of process registers only the metrics it records (`registerMetrics`): a series
 * the process never observes would scrape as a misleading zero.
 */
export const metricsRegistry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export const httpRequests = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [],
});

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Time from receiving a request to the end of its response, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [],
});

export const jobLatency = new Histogram({
  name: 'queue_job_latency_seconds',
  help: 'Time from a job being queued to its end (waiting, retries and processing), by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: WAIT_BUCKETS,
  registers: [],
});

export const jobProcessing = new Histogram({
  name: 'queue_job_processing_seconds',
  help: 'Time a worker spent on each attempt of a job, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [],
});

export const assignmentLatency = new Histogram({
  name: 'assignment_latency_seconds',
  help: 'Time from an activity entering its queue (its start, or its hand-back to the queue) to its assignment to an agent, observed by the worker that assigned it, by its job or by a drain',
  buckets: WAIT_BUCKETS,
  registers: [],
});

export const assignmentBatchSize = new Histogram({
  name: 'assignment_batch_size',
  help: 'Activities in the transaction that handled an assignment job (jobs a worker took while its transactions ran share the next one), observed once per job',
  buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32],
  registers: [],
});

export const assignmentFailures = new Counter({
  name: 'assignment_failures_total',
  help: 'Assignment attempts of a waiting chat that failed for a reason of its own (not for want of an agent, nor the database unreachable); the chat is tried again later, the other chats of its queue go on',
  registers: [],
});

export const expiryFailures = new Counter({
  name: 'expiry_failures_total',
  help: 'Endings of an overdue waiting conversation (noAgentAvailable, then complete) that failed for a reason of its own (not the database unreachable); the conversation is tried again later, the other overdue ones of its queue are ended',
  registers: [],
});

export const webhookDeliveryFailures = new Counter({
  name: 'webhook_delivery_failures_total',
  help: 'Failed webhook delivery attempts (timeouts, connection errors, non-2xx answers), by client application',
  labelNames: ['client_application_id'] as const,
  registers: [],
});

/** Recorded by the api: its HTTP requests. */
export const API_METRICS: readonly Metric[] = [httpRequests, httpRequestDuration];

/** Recorded by the worker: its jobs, assignments and webhook deliveries. */
export const WORKER_METRICS: readonly Metric[] = [jobLatency, jobProcessing, assignmentLatency, assignmentBatchSize, assignmentFailures, expiryFailures, webhookDeliveryFailures];

/** Adds metrics to this process's registry; ones already there are left as they are. */
export function registerMetrics(metrics: readonly Metric[]): void {
  for (const metric of metrics) {
    if (!metricsRegistry.getSingleMetric(metricName(metric))) metricsRegistry.registerMetric(metric);
  }
}

/**
 * The gauges read from MySQL and Redis on scrape (ScrapeMetrics), the same values whichever
 * process reads them: with API_PROCESSES > 1 only the process that answers the scrape reads them.
 */
const sharedGauges = new Set<string>();

export function markShared(name: string): void {
  sharedGauges.add(name);
}

/** This process's registry as getMetricsAsJSON gives it, the shared gauges only when `shared`. */
export function metricsAsJson(shared: boolean): Promise<Awaited<ReturnType<Registry['getMetricsAsJSON']>>> {
  // The registry's own typing gives its metrics as plain objects; they are the Metric objects registered.
  const metrics = (metricsRegistry.getMetricsAsArray() as unknown as Metric[]).filter((metric) => shared || !sharedGauges.has(metricName(metric)));
  return Promise.all(metrics.map((metric) => metric.get())) as Promise<Awaited<ReturnType<Registry['getMetricsAsJSON']>>>;
}

function metricName(metric: Metric): string {
  return (metric as unknown as { name: string }).name;
}
