import cluster, { type Worker } from 'node:cluster';
import type { AppConfig } from '../config/app-config';
import { watchLiveness } from './liveness';
import { plainLine } from '../logging/plain-line';
import { RestartBudget } from './restart-budget';

type PrimarySettings = Pick<
  AppConfig,
  'API_PROCESSES' | 'API_PROCESS_RESTART_LIMIT' | 'API_PROCESS_RESTART_WINDOW_MS' | 'API_PROCESS_PING_INTERVAL_MS' | 'API_PROCESS_PING_TIMEOUT_MS'
>;

/**
 * The primary of an api run as API_PROCESSES processes (Node's cluster module shares the port
 * between them): it starts them, kills one that stops answering, replaces one that dies, and
 * passes SIGTERM and SIGINT on.
 */
export function runApiPrimary(config: PrimarySettings): void {
  let shuttingDown: NodeJS.Signals | undefined;
  const stopAll = (sig: NodeJS.Signals) => {
    shuttingDown = sig;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
  };
  // Before the first fork: a signal is delivered whenever it comes, and one that came while the
  // processes were being forked, before a handler was installed, ended the primary at once and
  // left its processes behind (seen with a SIGTERM right after the forks on a busy machine).
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => stopAll(sig));
  for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork();
  const served = new Set<number>();
  cluster.on('listening', (worker) => served.add(worker.id));
  const budget = new RestartBudget(config.API_PROCESS_RESTART_LIMIT, config.API_PROCESS_RESTART_WINDOW_MS);
  // Also during a stop: a process whose loop is blocked never runs its own close bound, and the
  // primary would wait for it for ever; one merely slow to close still answers.
  watchLiveness(config);
  cluster.on('exit', (worker: Worker, code: number | null, signal: NodeJS.Signals | null) => {
    const pid = worker.process.pid;
    if (shuttingDown) {
      // The api's exit status is its processes': one that could not stop cleanly (its close
      // bounded at 10 s, a crash, a kill) makes the api exit 1, as a single process would.
      // One still starting, ended by the signal passed on before it could take it, had nothing to finish.
      if (code === 0 || (!served.has(worker.id) && signal === shuttingDown)) return;
      plainLine('error', 'api process did not stop cleanly', { pid, code, signal });
      process.exitCode = 1;
      return;
    }
    // Outside a shutdown of the whole api, a process that stopped, even cleanly (a SIGTERM of
    // its own ends it with code 0), is one process fewer serving: it is replaced.
    if (!served.has(worker.id)) {
      // It failed before it listened (MySQL unreachable, the port taken): another one would
      // fail the same way, again and again. Stop as a single api process does, with code 1,
      // and leave restarting to the supervisor.
      plainLine('fatal', 'api process failed to start; stopping the others', { pid, code, signal });
      process.exitCode = 1;
      stopAll('SIGTERM');
      return;
    }
    if (!budget.allows(Date.now())) {
      // A crash loop: replacing it again would hide the failure from the supervisor, which
      // sees only a primary that never exits.
      plainLine('error', 'api processes keep dying; stopping the others', {
        pid, code, signal, exits: budget.recent, windowMs: config.API_PROCESS_RESTART_WINDOW_MS,
      });
      process.exitCode = 1;
      stopAll('SIGTERM');
      return;
    }
    plainLine('error', 'api process died; starting another', { pid, code, signal });
    cluster.fork();
  });
}
