import type { Registry } from 'prom-client';

/** One process's registry as getMetricsAsJSON gives it. */
export type RegistryJson = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;
type MetricJson = RegistryJson[number];

/**
 * What a process has counted stays counted once it is gone: counters and histograms (buckets,
 * sums and counts) only ever grow, and a sum that lost a process's share would read as a reset to
 * Prometheus, whose rate() turns it into a spike. Gauges say how things are now, and a process
 * that is gone has no "now".
 */
export function cumulativeOf(reading: RegistryJson): RegistryJson {
  // prom-client's typings give `type` as a numeric enum; at run time it is the exposition's word.
  return reading.filter((metric) => ['counter', 'histogram'].includes(metric.type as unknown as string));
}

/** Several readings as one: each series (name and labels) summed over them. */
export function sumReadings(readings: RegistryJson[]): RegistryJson {
  return combineReadings(readings, (a, b) => a + b);
}

/**
 * The latest of several readings of one process, series by series: its counters and histograms
 * only grow, so the larger value is the later one. Its answers to overlapping scrapes may come in
 * another order than their readings were taken (the process that also reads the shared gauges
 * answers once MySQL and Redis have; a histogram's values are taken when asked, a counter's when
 * sent), and the reading kept for it must hold no less than any scrape already reported.
 */
export function latestOf(readings: RegistryJson[]): RegistryJson {
  return combineReadings(readings, Math.max);
}

function combineReadings(readings: RegistryJson[], combine: (a: number, b: number) => number): RegistryJson {
  const metrics = new Map<string, { metric: MetricJson; series: Map<string, MetricJson['values'][number]> }>();
  for (const reading of readings) {
    for (const metric of reading) {
      let entry = metrics.get(metric.name);
      if (!entry) metrics.set(metric.name, (entry = { metric, series: new Map() }));
      for (const value of metric.values) {
        const named = value as typeof value & { metricName?: string };
        const key = JSON.stringify([named.metricName ?? metric.name, Object.entries(value.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
        const seen = entry.series.get(key);
        entry.series.set(key, seen ? { ...seen, value: combine(seen.value, value.value) } : { ...value });
      }
    }
  }
  return [...metrics.values()].map(({ metric, series }) => ({ ...metric, values: [...series.values()] }));
}
