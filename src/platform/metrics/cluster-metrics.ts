import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { cumulativeOf, latestOf, sumReadings, type RegistryJson } from './kept-counts';
import { metricsAsJson, metricsRegistry } from './registry';

const SCRAPE = 'metrics:scrape';
const SCRAPED = 'metrics:scraped';
const COLLECT = 'metrics:collect';
const COLLECTED = 'metrics:collected';
/** How long the primary waits for each process; one that is slow or still starting is left out of that scrape. */
const COLLECT_TIMEOUT_MS = 2000;
const SCRAPE_TIMEOUT_MS = COLLECT_TIMEOUT_MS + 2000;

interface Message { type: string; id: number }
interface Scraped extends Message { text?: string; error?: string }
interface Collect extends Message { shared: boolean }
interface Collected extends Message { metrics?: RegistryJson; error?: string }

/**
 * Sends to the other end of an IPC channel, or drops the message if the channel has closed: an
 * api process that asked for a scrape may die before its answer is ready. Without a callback a
 * send on a closed channel is an 'error' event nobody listens to, which ends the process, and
 * in the primary that ended every api process with it.
 */
function sendOrDrop(to: { send(message: Collect | Scraped | Collected, callback: (err: Error | null) => void): boolean }, message: Collect | Scraped | Collected): void {
  to.send(message, () => undefined);
}

/** The primary, from an api process of the cluster. */
const primary = { send: (message: Message, callback: (err: Error | null) => void) => process.send!(message, callback) };

/**
 * With API_PROCESSES > 1 the port is shared, so a scrape lands on any one api process.
 * That process asks the cluster primary, which asks every api process for its registry and
 * sums counters and histograms: one scrape, whole picture. The gauges read from MySQL and Redis,
 * the same in every process, are read by the process that asked alone.
 *
 * The counters and histograms a process had when last read stay in the sums after it dies
 * (summed into `gone`), and stand for it in a scrape it does not answer in time: a sum that
 * lost them would fall, which Prometheus reads as a counter reset.
 */
export function serveClusterMetrics(): void {
  let nextId = 0;
  const collecting = new Map<number, (worker: Worker, answer: Collected) => void>();
  const lastRead = new Map<number, RegistryJson>();
  let gone: RegistryJson = [];
  cluster.on('exit', (worker) => {
    const last = lastRead.get(worker.id);
    lastRead.delete(worker.id);
    if (last) gone = sumReadings([gone, last]);
  });
  cluster.on('message', (worker, message: Message) => {
    if (message?.type === COLLECTED) collecting.get(message.id)?.(worker, message as Collected);
    if (message?.type !== SCRAPE) return;
    const id = nextId++;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
    const answers = new Map<number, RegistryJson>();
    let pending = workers.length;
    const finish = () => {
      clearTimeout(timer);
      collecting.delete(id);
      // A process that died during this scrape is in `gone` with its last reading (or was never
      // read): its answer, if any, would count it twice.
      const readings = workers.filter((w) => lastRead.has(w.id)).map((w) => answers.get(w.id) ?? lastRead.get(w.id)!);
      AggregatorRegistry.aggregate([...readings, gone])
        .metrics()
        .then(
          (text) => sendOrDrop(worker, { type: SCRAPED, id: message.id, text } satisfies Scraped),
          (err: Error) => sendOrDrop(worker, { type: SCRAPED, id: message.id, error: err.message } satisfies Scraped),
        );
    };
    const timer = setTimeout(finish, COLLECT_TIMEOUT_MS);
    collecting.set(id, (from, answer) => {
      if (answer.metrics && !from.isDead()) {
        answers.set(from.id, answer.metrics);
        // Not the last answer to arrive: an older reading arriving late would stand for the
        // process with less than a scrape already reported, a fall read as a counter reset.
        lastRead.set(from.id, latestOf([lastRead.get(from.id) ?? [], cumulativeOf(answer.metrics)]));
      }
      if (--pending === 0) finish();
    });
    for (const w of workers) sendOrDrop(w, { type: COLLECT, id, shared: w === worker } satisfies Collect);
    if (pending === 0) finish();
  });
}

let joined = false;
let nextScrape = 0;
const scrapes = new Map<number, (answer: Scraped) => void>();

/**
 * In an api process of a cluster: hand this process's registry to the primary when it
 * gathers, and route the primary's answers to our scrapes. Called first thing at start-up,
 * so a process that is still booting answers (with what it has) rather than not at all.
 */
export function joinClusterMetrics(): void {
  if (joined || !cluster.isWorker) return;
  joined = true;
  process.on('message', (message: Message) => {
    if (message?.type === SCRAPED) scrapes.get(message.id)?.(message as Scraped);
    if (message?.type !== COLLECT) return;
    metricsAsJson((message as Collect).shared).then(
      (metrics) => sendOrDrop(primary, { type: COLLECTED, id: message.id, metrics } satisfies Collected),
      (err: Error) => sendOrDrop(primary, { type: COLLECTED, id: message.id, error: err.message } satisfies Collected),
    );
  });
}

/** The metrics text of this process, or of the whole api cluster when it runs as one. */
export async function renderMetrics(): Promise<string> {
  if (!joined || !process.send) return metricsRegistry.metrics();
  const id = nextScrape++;
  const answer = await new Promise<Scraped>((resolve) => {
    const timer = setTimeout(() => resolve({ type: SCRAPED, id, error: 'cluster primary did not answer' }), SCRAPE_TIMEOUT_MS);
    scrapes.set(id, (a) => {
      clearTimeout(timer);
      resolve(a);
    });
    primary.send({ type: SCRAPE, id } satisfies Message, (err) => {
      if (err) scrapes.get(id)?.({ type: SCRAPED, id, error: err.message });
    });
  });
  scrapes.delete(id);
  if (answer.error !== undefined) throw new Error(`cluster metrics: ${answer.error}`);
  return answer.text ?? '';
}
