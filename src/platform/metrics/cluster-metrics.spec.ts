import { EventEmitter } from 'node:events';
import { Histogram, Registry } from 'prom-client';
import { serveClusterMetrics } from './cluster-metrics';
import type { RegistryJson } from './kept-counts';

/** The cluster as the primary sees it, its processes and their messages played by the test. */
jest.mock('node:cluster', () => {
  const { EventEmitter: Emitter } = jest.requireActual<typeof import('node:events')>('node:events');
  const fake = Object.assign(new Emitter(), { workers: {} as Record<number, unknown> });
  return { __esModule: true, default: fake };
});

const cluster = (jest.requireMock('node:cluster') as { default: EventEmitter & { workers: Record<number, FakeProcess> } }).default;

interface Sent { type: string; id: number; shared?: boolean; text?: string }

/** An api process as the primary sees it: what the primary sent it, kept in order. */
class FakeProcess {
  readonly sent: Sent[] = [];
  dead = false;
  constructor(readonly id: number) {}
  isConnected = () => !this.dead;
  isDead = () => this.dead;
  send = (message: Sent, callback: () => void) => {
    this.sent.push(message);
    callback();
    return true;
  };
}

/**
 * One process's registry with `requests` observed in http_request_duration_seconds, as a process
 * answers: a histogram's values are those of the moment it was asked.
 */
async function readingOf(requests: number): Promise<RegistryJson> {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'http_request_duration_seconds', help: 'requests', buckets: [1], registers: [registry] });
  for (let i = 0; i < requests; i++) histogram.observe(0.5);
  return registry.getMetricsAsJSON();
}

const total = (text: string) => Number(/^http_request_duration_seconds_count (\S+)$/m.exec(text)?.[1]);
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('serveClusterMetrics', () => {
  it('keeps the newest reading of each process, whatever the order its answers to overlapping scrapes come in', async () => {
    serveClusterMetrics();
    const a = new FakeProcess(1);
    const b = new FakeProcess(2);
    cluster.workers = { 1: a, 2: b };
    const collects = (p: FakeProcess) => p.sent.filter((m) => m.type === 'metrics:collect');
    const answer = async (p: FakeProcess, collect: Sent, requests: number) =>
      cluster.emit('message', p, { type: 'metrics:collected', id: collect.id, metrics: await readingOf(requests) });
    const scraped = async (p: FakeProcess, id: number) => {
      await settle();
      return p.sent.find((m) => m.type === 'metrics:scraped' && m.id === id)!.text!;
    };

    // A scrape lands on a, and another on b while a still reads the shared gauges of the first:
    // a answers the second (its reading taken later, 5 requests) before the first (4).
    cluster.emit('message', a, { type: 'metrics:scrape', id: 10 });
    cluster.emit('message', b, { type: 'metrics:scrape', id: 20 });
    const [firstOfA, secondOfA] = collects(a);
    const [firstOfB, secondOfB] = collects(b);
    await answer(b, firstOfB, 1);
    await answer(b, secondOfB, 1);
    await answer(a, secondOfA, 5);
    expect(total(await scraped(b, 20))).toBe(6);
    await answer(a, firstOfA, 4);
    expect(total(await scraped(a, 10))).toBe(5);

    // a dies: what it counted, as last reported, stays in the sums.
    a.dead = true;
    cluster.workers = { 2: b };
    cluster.emit('exit', a);
    cluster.emit('message', b, { type: 'metrics:scrape', id: 21 });
    await answer(b, collects(b)[2], 1);
    expect(total(await scraped(b, 21))).toBe(6);
  });
});
