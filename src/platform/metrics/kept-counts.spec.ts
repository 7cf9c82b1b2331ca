import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { cumulativeOf, latestOf, sumReadings, type RegistryJson } from './kept-counts';

/** The reading of a process that counted `requests` GETs, observed `durations` and holds `open` connections. */
async function reading(requests: number, durations: number[], open: number): Promise<RegistryJson> {
  const registry = new Registry();
  new Counter({ name: 'requests_total', help: 'h', labelNames: ['method'], registers: [registry] }).inc({ method: 'GET' }, requests);
  const histogram = new Histogram({ name: 'duration_seconds', help: 'h', buckets: [0.1, 1], registers: [registry] });
  for (const d of durations) histogram.observe(d);
  new Gauge({ name: 'open_connections', help: 'h', registers: [registry] }).set(open);
  return registry.getMetricsAsJSON();
}

const valueOf = (r: RegistryJson, metricName: string, labels: Record<string, string | number> = {}) =>
  r.flatMap((m) => m.values.map((v) => ({ ...v, metricName: (v as { metricName?: string }).metricName ?? m.name })))
    .find((v) => v.metricName === metricName && JSON.stringify(v.labels) === JSON.stringify(labels))?.value;

describe('kept counts of api processes', () => {
  it('keeps counters and histograms of a reading, not its gauges', async () => {
    const kept = cumulativeOf(await reading(3, [0.05], 7));
    expect(kept.map((m) => m.name).sort()).toEqual(['duration_seconds', 'requests_total']);
  });

  it('sums each series, histogram buckets, sums and counts included, over the readings', async () => {
    const sum = sumReadings([cumulativeOf(await reading(3, [0.05, 0.5], 1)), cumulativeOf(await reading(4, [2], 1))]);
    expect(valueOf(sum, 'requests_total', { method: 'GET' })).toBe(7);
    expect(valueOf(sum, 'duration_seconds_bucket', { le: 0.1 })).toBe(1);
    expect(valueOf(sum, 'duration_seconds_bucket', { le: 1 })).toBe(2);
    expect(valueOf(sum, 'duration_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(valueOf(sum, 'duration_seconds_count')).toBe(3);
    expect(valueOf(sum, 'duration_seconds_sum')).toBeCloseTo(2.55);
  });

  it('takes the latest of two readings of one process series by series, whichever comes first', async () => {
    const older = cumulativeOf(await reading(3, [0.05], 0));
    const newer = cumulativeOf(await reading(4, [0.05, 2], 0));
    for (const latest of [latestOf([older, newer]), latestOf([newer, older])]) {
      expect(valueOf(latest, 'requests_total', { method: 'GET' })).toBe(4);
      expect(valueOf(latest, 'duration_seconds_bucket', { le: 0.1 })).toBe(1);
      expect(valueOf(latest, 'duration_seconds_bucket', { le: '+Inf' })).toBe(2);
      expect(valueOf(latest, 'duration_seconds_count')).toBe(2);
      expect(valueOf(latest, 'duration_seconds_sum')).toBeCloseTo(2.05);
    }
  });

  it('leaves the readings it sums unchanged', async () => {
    const first = cumulativeOf(await reading(3, [], 0));
    sumReadings([first, first]);
    expect(valueOf(first, 'requests_total', { method: 'GET' })).toBe(3);
  });
});
