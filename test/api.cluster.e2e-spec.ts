import { execFileSync } from 'node:child_process';
import { freePort, getOnNewConnection } from './support/operations';
import { type RunningProcess, Stack, stopProcess, waitFor } from './support/stack';

/**
 * The primary of an api run as several processes (API_PROCESSES=2) and its children: what
 * happens to the whole api when one of them fails at an awkward moment.
 */
describe('api as several processes', () => {
  let stack: Stack;

  beforeAll(async () => {
    // At info each process logs 'api listening' with its pid: the api answers once one listens.
    stack = await Stack.start({ workers: 0, env: { API_PROCESSES: '2', LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Whether `api`'s output says that its process `pid` listens. */
  const listensIn = (api: RunningProcess, pid: number): boolean => api.output.some((l) => l.includes('"api listening"') && l.includes(`"pid":${pid}`));
  /** The two api processes of `api`'s primary, once each of them listens. */
  const servingOf = (api: RunningProcess, timeoutMs: number): Promise<number[]> =>
    waitFor(async () => {
      const pids = childrenOf(api.child.pid!);
      return pids.length === 2 && pids.every((pid) => listensIn(api, pid)) ? pids : undefined;
    }, timeoutMs);
  const listening = (pid: number): boolean => listensIn(stack.api, pid);
  const serving = (): Promise<number[]> => servingOf(stack.api, 15000);
  /** A primary of two api processes of its own, on a port of its own, with these settings. */
  const spawnPrimary = async (env: Record<string, string>): Promise<RunningProcess> =>
    stack.spawn('dist/src/main.js', { HTTP_PORT: String(await freePort()), API_PROCESSES: '2', LOG_LEVEL: 'info', ...env });
  /** The pids of a process's children (ps exits 1 when there are none). */
  const childrenOf = (pid: number): number[] => {
    try {
      return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString().split('\n').map((l) => l.trim()).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const children = (): number[] => childrenOf(stack.api.child.pid!);
  /** A process the test stopped is killed, unless the primary has done so already. */
  const killIfAlive = (pid: number): void => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  };

  it('an api process that dies while the primary gathers its scrape leaves the primary and the other processes running', async () => {
    const [slow, dying] = await serving();
    // The primary waits up to its collection timeout for a process that does not answer:
    // long enough for the process that asked for the scrape to die before its answer.
    process.kill(slow, 'SIGSTOP');
    let scrapes: Promise<unknown>[] = [];
    try {
      // New connections go round the processes: some reach the one that is about to die.
      scrapes = Array.from({ length: 4 }, () => getOnNewConnection(`${stack.baseUrl}/metrics`).catch(() => undefined));
      await new Promise((r) => setTimeout(r, 500));
      process.kill(dying, 'SIGKILL');
      // Past the collection timeout (2 s): the primary has answered the dead process by now.
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      process.kill(slow, 'SIGCONT');
    }
    await Promise.all(scrapes);
    expect(stack.api.child.exitCode).toBeNull();
    const after = await serving();
    expect(after).toContain(slow);
    expect(after).not.toContain(dying);
    for (let i = 0; i < 4; i++) expect((await getOnNewConnection(`${stack.baseUrl}/metrics`)).status).toBe(200);
  }, 40000);

  /** The samples of counters and histograms in a scrape, by name and labels (sorted). */
  const cumulativeSamples = (text: string): Map<string, number> => {
    const types = new Map<string, string>();
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) types.set(type[1], type[2]);
      const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!sample) continue;
      const [, name, labels = '', value] = sample;
      const kind = types.get(name) ?? types.get(name.replace(/_(bucket|sum|count)$/, ''));
      if (kind !== 'counter' && kind !== 'histogram') continue;
      const sorted = [...labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort().join(',');
      samples.set(`${name}{${sorted}}`, Number(value));
    }
    return samples;
  };
  /** The samples of `before` that `after` lacks or holds lower: what Prometheus would read as a counter reset. */
  const fallen = (before: Map<string, number>, after: Map<string, number>) =>
    [...before].filter(([key, value]) => !((after.get(key) ?? -1) >= value)).map(([key, value]) => ({ key, before: value, after: after.get(key) }));
  /** A scrape in which each process has counted some requests of its own. */
  const scrapeAfterTraffic = async (): Promise<Map<string, number>> => {
    // New connections go round the processes.
    for (let i = 0; i < 10; i++) expect((await getOnNewConnection(`${stack.baseUrl}/health/live`)).status).toBe(200);
    const scrape = await getOnNewConnection(`${stack.baseUrl}/metrics`);
    expect(scrape.status).toBe(200);
    const samples = cumulativeSamples(scrape.text);
    expect(samples.size).toBeGreaterThan(0);
    return samples;
  };

  it('an api process that dies leaves its counts in the summed counters and histograms: none falls once it is replaced', async () => {
    const [, dying] = await serving();
    const before = await scrapeAfterTraffic();
    process.kill(dying, 'SIGKILL');
    await waitFor(async () => {
      const pids = children();
      return pids.length === 2 && !pids.includes(dying) && pids.every(listening);
    }, 60000);
    const after = await getOnNewConnection(`${stack.baseUrl}/metrics`);
    expect(after.status).toBe(200);
    expect(fallen(before, cumulativeSamples(after.text))).toEqual([]);
  }, 90000);

  it('an api process that does not answer a scrape in time is counted with what it had when last read', async () => {
    const [stopped] = await serving();
    const before = await scrapeAfterTraffic();
    process.kill(stopped, 'SIGSTOP');
    let scrapes: Promise<{ status: number; text: string } | undefined>[] = [];
    try {
      // One of two new connections reaches the process that answers, which waits for the
      // stopped one until the primary's collection timeout.
      scrapes = [0, 1].map(() => getOnNewConnection(`${stack.baseUrl}/metrics`).catch(() => undefined));
      const answered = await Promise.race(scrapes);
      expect(answered?.status).toBe(200);
      expect(fallen(before, cumulativeSamples(answered!.text))).toEqual([]);
    } finally {
      process.kill(stopped, 'SIGCONT');
      await Promise.all(scrapes);
    }
  }, 60000);

  it('api processes that keep dying once they serve: past API_PROCESS_RESTART_LIMIT within the window the primary stops the others and exits 1', async () => {
    const api = await spawnPrimary({ API_PROCESS_RESTART_LIMIT: '2', API_PROCESS_RESTART_WINDOW_MS: '600000' });
    try {
      // A process killed each time it serves (as by the OOM killer, or a request that crashes it):
      // the primary replaces the first two, the third is one more than the limit.
      const killed: number[] = [];
      for (let i = 0; i < 3; i++) {
        const victim = await waitFor(async () => childrenOf(api.child.pid!).find((pid) => !killed.includes(pid) && listensIn(api, pid)), 60000);
        killed.push(victim);
        process.kill(victim, 'SIGKILL');
      }
      await waitFor(async () => api.child.exitCode !== null, 30000);
      expect(api.child.exitCode).toBe(1);
      const stopped = api.output.filter((l) => l.includes('api processes keep dying')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(stopped).toEqual([expect.objectContaining({ level: 'error', pid: killed[2], code: null, signal: 'SIGKILL', exits: 3, windowMs: 600000 })]);
      expect(api.output.filter((l) => l.includes('api process died; starting another'))).toHaveLength(2);
      // The other process was stopped, not left behind, and stopped cleanly.
      expect(api.output.filter((l) => l.includes('did not stop cleanly'))).toEqual([]);
      expect(childrenOf(api.child.pid!)).toEqual([]);
    } finally {
      await stopProcess(api, 'SIGKILL');
    }
  }, 150000);

  describe('with pings every 200 ms and a 3 s API_PROCESS_PING_TIMEOUT_MS', () => {
    // One primary for both cases: the first leaves it serving with a replacement, as it was
    // before, and the second, which stops it, comes last. Each waits for two listening
    // processes of its own, so either also runs alone (-t).
    let api: RunningProcess;
    const hung: number[] = [];

    beforeAll(async () => {
      api = await spawnPrimary({ API_PROCESS_PING_INTERVAL_MS: '200', API_PROCESS_PING_TIMEOUT_MS: '3000' });
    });

    afterAll(async () => {
      hung.forEach(killIfAlive);
      if (api) await stopProcess(api, 'SIGKILL');
    });

    it('an api process whose event loop is stopped is killed once it has not answered the pings for API_PROCESS_PING_TIMEOUT_MS, and replaced', async () => {
      const [stopped, other] = await servingOf(api, 60000);
      hung.push(stopped);
      // Stopped, it runs nothing, as a process stuck in a synchronous loop: it keeps its socket.
      process.kill(stopped, 'SIGSTOP');
      const killedLine = await waitFor(async () => api.output.find((l) => l.includes('api process does not answer; killing it') && l.includes(`"pid":${stopped}`)), 30000);
      expect(JSON.parse(killedLine)).toMatchObject({ level: 'error', pid: stopped });
      expect((JSON.parse(killedLine) as { silentMs: number }).silentMs).toBeGreaterThan(3000);
      const replacement = await waitFor(async () => {
        const pids = childrenOf(api.child.pid!);
        return pids.length === 2 && !pids.includes(stopped) && pids.every((pid) => listensIn(api, pid)) ? pids.find((p) => p !== other) : undefined;
      }, 60000);
      expect(replacement).toBeDefined();
      expect(api.output.some((l) => l.includes('api process died; starting another') && l.includes(`"pid":${stopped}`) && l.includes('"signal":"SIGKILL"'))).toBe(true);
      expect(api.child.exitCode).toBeNull();
    }, 150000);

    it('SIGTERM to the primary while one of its processes hangs: the hung one is killed once silent for API_PROCESS_PING_TIMEOUT_MS, and the primary exits 1', async () => {
      const [stopped] = await servingOf(api, 60000);
      hung.push(stopped);
      // Its loop blocked, it can neither take the SIGTERM passed on nor reach its own close bound.
      process.kill(stopped, 'SIGSTOP');
      api.child.kill('SIGTERM');
      await waitFor(async () => api.child.exitCode !== null, 30000);
      expect(api.child.exitCode).toBe(1);
      expect(api.output.some((l) => l.includes('api process does not answer; killing it') && l.includes(`"pid":${stopped}`))).toBe(true);
      expect(api.output.some((l) => l.includes('api process did not stop cleanly') && l.includes(`"pid":${stopped}`) && l.includes('"signal":"SIGKILL"'))).toBe(true);
    }, 150000);
  });

  it('SIGTERM to the primary while its processes are still starting: they had nothing to finish, and it exits 0', async () => {
    const port = await freePort();
    const api = stack.spawn('dist/src/main.js', { HTTP_PORT: String(port), API_PROCESSES: '2' });
    try {
      // A loaded machine can take well over 10 s to get the primary to its forks.
      await waitFor(async () => childrenOf(api.child.pid!).length === 2, 45000, 10);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => api.child.once('exit', (code, signal) => resolve({ code, signal })));
      api.child.kill('SIGTERM');
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(api.output.filter((l) => l.includes('did not stop cleanly'))).toEqual([]);
    } finally {
      await stopProcess(api, 'SIGKILL');
    }
  }, 70000);

  it('SIGTERM to the primary: it exits 1 when one of its processes does not stop cleanly', async () => {
    const [stuck, other] = await serving();
    // A process that cannot finish its stop (held, then killed as a supervisor or the OOM
    // killer would): what it had in flight is lost, and the api's exit status must say so.
    process.kill(stuck, 'SIGSTOP');
    // 'close', not 'exit': the primary's last lines may still be in its pipes when it has exited.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => stack.api.child.once('close', (code, signal) => resolve({ code, signal })));
    stack.api.child.kill('SIGTERM');
    await waitFor(async () => !children().includes(other), 10000);
    process.kill(stuck, 'SIGKILL');
    expect(await exited).toEqual({ code: 1, signal: null });
    expect(stack.api.output.some((l) => l.includes('api process did not stop cleanly') && l.includes(String(stuck)))).toBe(true);
  }, 30000);
});
