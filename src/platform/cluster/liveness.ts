import cluster from 'node:cluster';
import type { AppConfig } from '../config/app-config';
import { plainLine } from '../logging/plain-line';

const PING = 'liveness:ping';
const PONG = 'liveness:pong';

type LivenessSettings = Pick<AppConfig, 'API_PROCESS_PING_INTERVAL_MS' | 'API_PROCESS_PING_TIMEOUT_MS'>;

/**
 * In an api process of a cluster: answer the primary's pings. The answer comes from the event
 * loop, so a process whose loop is blocked (a synchronous loop that never ends, a stopped
 * process) stops answering although it still holds its connections.
 */
export function answerLivenessPings(): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: { type?: string }) => {
    // Without a callback a send on a closed channel would be an 'error' event that ends the process.
    if (message?.type === PING) process.send?.({ type: PONG }, () => undefined);
  });
}

/**
 * In the primary: ping every api process that listens each API_PROCESS_PING_INTERVAL_MS, and
 * kill (SIGKILL: a blocked loop would never run a SIGTERM handler) one that has answered
 * nothing for API_PROCESS_PING_TIMEOUT_MS; its exit is then handled as any other death.
 */
export function watchLiveness(settings: LivenessSettings): void {
  const lastAnswer = new Map<number, number>();
  cluster.on('listening', (worker) => lastAnswer.set(worker.id, Date.now()));
  cluster.on('message', (worker, message: { type?: string }) => {
    if (message?.type === PONG && lastAnswer.has(worker.id)) lastAnswer.set(worker.id, Date.now());
  });
  cluster.on('exit', (worker) => lastAnswer.delete(worker.id));
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [id, at] of lastAnswer) {
      const worker = cluster.workers?.[id];
      if (!worker) {
        lastAnswer.delete(id);
        continue;
      }
      if (now - at > settings.API_PROCESS_PING_TIMEOUT_MS) {
        plainLine('error', 'api process does not answer; killing it', { pid: worker.process.pid, silentMs: now - at });
        lastAnswer.delete(id);
        worker.process.kill('SIGKILL');
        continue;
      }
      if (worker.isConnected()) worker.send({ type: PING }, () => undefined);
    }
  }, settings.API_PROCESS_PING_INTERVAL_MS);
  // The api processes' channels keep the primary running; the watch alone must not.
  timer.unref();
}
