import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './registry';

const SCRAPE = 'metrics:scrape';
const SCRAPED = 'metrics:scraped';
const TIMEOUT_MS = 5000;

interface ScrapeRequest { type: typeof SCRAPE; id: number }
interface ScrapeResult { type: typeof SCRAPED; id: number; text?: string; error?: string }

/**
 * With API_PROCESSES > 1 the port is shared, so a scrape lands on any one api process.
 * That process asks the cluster primary, which gathers every process's registry and sums
 * counters and histograms (gauges read from MySQL/Redis use max): one scrape, whole picture.
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: ScrapeRequest) => {
    if (message?.type !== SCRAPE) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: SCRAPED, id: message.id, text } satisfies ScrapeResult),
      (err: Error) => worker.send({ type: SCRAPED, id: message.id, error: err.message } satisfies ScrapeResult),
    );
  });
}

let nextId = 0;
let joined = false;
const pending = new Map<number, (result: ScrapeResult) => void>();

/**
 * In a cluster worker: hand this process's registry to the primary when it gathers, and
 * route its answers to our scrapes. Must run at start-up in every api process, since any
 * of them may be asked by the primary.
 */
export function joinClusterMetrics(): void {
  if (joined || !cluster.isWorker) return;
  joined = true;
  AggregatorRegistry.setRegistries([metricsRegistry]);
  new AggregatorRegistry(); // installs prom-client's listener for the primary's requests
  process.on('message', (message: ScrapeResult) => {
    if (message?.type === SCRAPED) pending.get(message.id)?.(message);
  });
}

/** The metrics text of this process, or of the whole api cluster when it runs as one. */
export async function renderMetrics(): Promise<string> {
  if (!joined || !process.send) return metricsRegistry.metrics();
  const id = nextId++;
  const result = await new Promise<ScrapeResult>((resolve) => {
    const timer = setTimeout(() => resolve({ type: SCRAPED, id, error: 'cluster primary did not answer' }), TIMEOUT_MS);
    pending.set(id, (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    process.send!({ type: SCRAPE, id } satisfies ScrapeRequest);
  });
  pending.delete(id);
  if (result.error !== undefined) throw new Error(`cluster metrics: ${result.error}`);
  return result.text ?? '';
}
