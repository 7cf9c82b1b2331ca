import { join } from 'node:path';
import { MASKED_DUPLICATE_ENTRY as MASKED_ERR } from './support/duplicate-entry';
import { freePort } from './support/operations';
import { type RunningProcess, Stack, stopProcess, waitFor, waitForOutput } from './support/stack';

/** Makes a process crash on SIGUSR2 (test/support/crash-on-signal.js); the platform's code is the built one, unchanged. */
const NODE_OPTIONS = `--require "${join(__dirname, 'support', 'crash-on-signal.js')}"`;

async function exitCodeOf(p: RunningProcess): Promise<number | null> {
  if (p.child.exitCode === null && p.child.signalCode === null) await new Promise((resolve) => p.child.once('exit', resolve));
  // Its last lines may still be in the pipes.
  await Promise.all([p.child.stdout, p.child.stderr].map((s) => (s && !s.closed ? new Promise((r) => s.once('close', r)) : undefined)));
  return p.child.exitCode;
}

/**
 * An error nothing catches outside a request or a job (docs/operations.md, Logs): the process writes
 * one JSON fatal line, the error masked and by its allowed fields, and exits 1. Node's own handling
 * printed it as text on stderr, the statement's parameters and its values included.
 */
describe('logs: the line of a process that crashes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { NODE_OPTIONS, CRASH_WITH: 'rejection' } });
  });
  afterAll(async () => stack?.stop());

  function expectOneFatalLine(p: RunningProcess, msg: string, fields: Record<string, unknown>): void {
    // Every line is JSON, the fatal one included, and none holds the address.
    const lines = p.output.map((l) => JSON.parse(l) as Record<string, unknown>);
    const fatal = lines.filter((l) => l.msg === msg);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ level: 60, pid: p.child.pid, msg, ...fields });
    expect(fatal[0].err).toEqual(MASKED_ERR);
    expect(p.output.join('\n')).not.toContain('ada@example.com');
  }

  it('api: a rejection nobody handles', async () => {
    stack.api.child.kill('SIGUSR2');
    expect(await exitCodeOf(stack.api)).toBe(1);
    expectOneFatalLine(stack.api, 'api crashed', { context: 'Api', origin: 'unhandledRejection' });
  });

  it('worker: an exception nobody catches', async () => {
    // Its first heartbeat comes before its logger takes over: 'worker started' comes after.
    const worker = await stack.startWorker({ CRASH_WITH: 'exception', LOG_LEVEL: 'info' });
    await waitForOutput(worker, /"worker started"/);
    worker.child.kill('SIGUSR2');
    expect(await exitCodeOf(worker)).toBe(1);
    expectOneFatalLine(worker, 'worker crashed', { context: 'Worker', origin: 'uncaughtException' });
  });

  it('worker: an exception while its first heartbeat is under way, before its start-up is done', async () => {
    // The heartbeat starts, and the queues' processors take jobs, while Nest initializes the
    // worker's modules, before src/worker.ts gets the application back.
    const worker = stack.spawn('dist/src/worker.js', { CRASH_WITH: 'exception', CRASH_AT: 'first-heartbeat', LOG_LEVEL: 'info' });
    expect(await exitCodeOf(worker)).toBe(1);
    expect(worker.output.some((l) => l.includes('"worker started"'))).toBe(false);
    expectOneFatalLine(worker, 'worker crashed', { context: 'Worker', origin: 'uncaughtException' });
  });

  it('api as several processes: the process that crashed is replaced by the primary', async () => {
    const primary = stack.spawn('dist/src/main.js', { HTTP_PORT: String(await freePort()), API_PROCESSES: '2', LOG_LEVEL: 'info' });
    try {
      const listening = () => primary.output.filter((l) => l.includes('"api listening"')).map((l) => (JSON.parse(l) as { pid: number }).pid);
      const [first] = await waitFor(async () => listening().length === 2 && listening(), 30000);
      process.kill(first, 'SIGUSR2');
      const died = JSON.parse(await waitForOutput(primary, /"api process died; starting another"/)) as Record<string, unknown>;
      expect(died).toMatchObject({ pid: first, code: 1, signal: null });
      await waitFor(async () => listening().length === 3, 30000);
      expect(primary.child.exitCode).toBeNull();
      const fatal = primary.output.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'api crashed');
      expect(fatal).toEqual([expect.objectContaining({ pid: first, err: MASKED_ERR })]);
    } finally {
      await stopProcess(primary, 'SIGTERM');
    }
  }, 60000);
});
