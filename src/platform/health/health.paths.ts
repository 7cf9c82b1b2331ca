/**
 * Operations endpoints live at the root of the server, outside CONTEXT_PATH, in the api and
 * on the worker's health port alike: probes and scrapers are configured per host, not per
 * API family, and the same paths work for both kinds of process.
 */
export const HEALTH_LIVE_PATH = 'health/live';
export const HEALTH_READY_PATH = 'health/ready';
export const METRICS_PATH = 'metrics';
export const OPERATIONS_PATHS = [HEALTH_LIVE_PATH, HEALTH_READY_PATH, METRICS_PATH];
