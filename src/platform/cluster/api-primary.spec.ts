import type { EventEmitter } from 'node:events';

interface FakeProcess {
  id: number;
  process: { pid: number; kill: jest.Mock };
}

/** Node's cluster as the primary sees it: forks are recorded, listening and exits are emitted by the test. */
interface FakeCluster extends EventEmitter {
  workers: Record<number, FakeProcess>;
  fork(): FakeProcess;
  reset(): void;
}

jest.mock('node:cluster', () => {
  const { EventEmitter: Emitter } = jest.requireActual<typeof import('node:events')>('node:events');
  let next = 1;
  const fake = Object.assign(new Emitter(), {
    workers: {} as Record<number, unknown>,
    fork() {
      const id = next++;
      const worker = { id, process: { pid: 1000 + id, kill: jest.fn() } };
      fake.workers[id] = worker;
      return worker;
    },
    reset() {
      fake.removeAllListeners();
      fake.workers = {};
    },
  });
  return { __esModule: true, default: fake };
});
jest.mock('./liveness', () => ({ watchLiveness: jest.fn() }));

import cluster from 'node:cluster';
import { runApiPrimary } from './api-primary';

const fake = cluster as unknown as FakeCluster;
const listening = (w: FakeProcess) => fake.emit('listening', w);
function exit(w: FakeProcess, code: number | null, signal: NodeJS.Signals | null): void {
  delete fake.workers[w.id];
  fake.emit('exit', w, code, signal);
}
const forked = () => Object.values(fake.workers);

const SETTINGS = {
  API_PROCESSES: 2,
  API_PROCESS_RESTART_LIMIT: 2,
  API_PROCESS_RESTART_WINDOW_MS: 60000,
  API_PROCESS_PING_INTERVAL_MS: 5000,
  API_PROCESS_PING_TIMEOUT_MS: 30000,
};

describe('runApiPrimary', () => {
  let lines: Record<string, unknown>[];
  let known: Map<string, unknown[]>;

  beforeEach(() => {
    fake.reset();
    lines = [];
    jest.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(JSON.parse(line)));
    known = new Map(['SIGTERM', 'SIGINT'].map((s) => [s, process.listeners(s as NodeJS.Signals)]));
    process.exitCode = undefined;
  });

  afterEach(() => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      for (const listener of process.listeners(signal)) if (!known.get(signal)!.includes(listener)) process.off(signal, listener);
    }
    process.exitCode = undefined;
    jest.restoreAllMocks();
  });

  /** A primary whose API_PROCESSES processes all listen. */
  function serving(): FakeProcess[] {
    runApiPrimary(SETTINGS);
    for (const w of forked()) listening(w);
    return forked();
  }

  it('passes the signal on to every process and exits 0 when each stops cleanly', () => {
    const [a, b] = serving();
    process.emit('SIGINT', 'SIGINT');
    expect([a.process.kill.mock.calls, b.process.kill.mock.calls]).toEqual([[['SIGINT']], [['SIGINT']]]);
    exit(a, 0, null);
    exit(b, 0, null);
    expect(process.exitCode).toBeUndefined();
    expect(lines).toEqual([]);
    expect(Object.keys(fake.workers)).toHaveLength(0);
  });

  it('exits 1 when one process does not stop cleanly during a stop, and names it', () => {
    const [a, b] = serving();
    process.emit('SIGTERM', 'SIGTERM');
    exit(a, 0, null);
    exit(b, 1, null);
    expect(process.exitCode).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'api process did not stop cleanly', pid: b.process.pid, code: 1 })]);
  });

  it('takes a process still starting, ended by the signal passed on, as stopped cleanly; one that served and was ended by it, not', () => {
    runApiPrimary(SETTINGS);
    const [starting, served] = forked();
    listening(served);
    process.emit('SIGINT', 'SIGINT');
    exit(starting, null, 'SIGINT');
    expect(process.exitCode).toBeUndefined();
    exit(served, null, 'SIGINT');
    expect(process.exitCode).toBe(1);
  });

  it('takes a process still starting that exits 1 during a stop as not stopped cleanly', () => {
    runApiPrimary(SETTINGS);
    const [starting] = forked();
    process.emit('SIGTERM', 'SIGTERM');
    exit(starting, 1, null);
    expect(process.exitCode).toBe(1);
  });

  it('replaces a process that dies once it has served, even one that exited 0', () => {
    const [a] = serving();
    exit(a, 0, null);
    expect(Object.keys(fake.workers)).toHaveLength(2);
    expect(process.exitCode).toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 'error', msg: 'api process died; starting another', pid: a.process.pid })]);
  });

  it('stops the others with SIGTERM and exits 1 when a process fails before it listens, starting none', () => {
    runApiPrimary(SETTINGS);
    const [failed, other] = forked();
    listening(other);
    exit(failed, 1, null);
    expect(Object.keys(fake.workers)).toEqual([String(other.id)]);
    expect(other.process.kill).toHaveBeenCalledWith('SIGTERM');
    expect(process.exitCode).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ level: 'fatal', msg: 'api process failed to start; stopping the others' })]);
    // Their exits, passed the SIGTERM, are those of a stop.
    exit(other, 0, null);
    expect(lines).toHaveLength(1);
  });

  it('past API_PROCESS_RESTART_LIMIT deaths within the window, stops the others with SIGTERM and exits 1 instead of replacing', () => {
    serving();
    for (let i = 0; i < SETTINGS.API_PROCESS_RESTART_LIMIT; i++) {
      const [victim] = forked();
      exit(victim, null, 'SIGKILL');
      const [, replacement] = forked();
      listening(replacement);
    }
    expect(process.exitCode).toBeUndefined();
    const [victim, other] = forked();
    exit(victim, null, 'SIGKILL');
    expect(Object.keys(fake.workers)).toEqual([String(other.id)]);
    expect(other.process.kill).toHaveBeenCalledWith('SIGTERM');
    expect(process.exitCode).toBe(1);
    expect(lines.at(-1)).toEqual(expect.objectContaining({ msg: 'api processes keep dying; stopping the others', pid: victim.process.pid, exits: 3, windowMs: 60000 }));
  });
});
