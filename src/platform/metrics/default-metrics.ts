import { collectDefaultMetrics } from 'prom-client';
import { metricsRegistry } from './registry';

let started = false;

/** Node.js process metrics (CPU, memory, event loop lag, GC), once per process. */
export function startDefaultMetrics(): void {
  if (started) return;
  started = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
