import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { DEMO_DEFAULTS, seedDemo, type DemoCredentials } from '../../src/cli/demo-seed';
import { validateEnv } from '../../src/platform/config/app-config';
import { dataSourceOptions } from '../../src/platform/database/data-source-options';
import { collectLines } from './output-lines';
import { freePort } from './private-services';
const { reapOnExit } = require('./reap-on-exit') as { reapOnExit: (child: ChildProcess) => void };

const ROOT = join(__dirname, '..', '..');

export interface StackOptions {
  /** Extra environment for the api and workers. */
  env?: Record<string, string>;
  workers?: number;
  /** false: no api process, for a file whose cases talk to the workers alone. */
  api?: boolean;
  seed?: boolean;
  /** Every seeded agent's chat limit (the demo's is 2–3): room for all the starts of a test file. */
  agentCapacity?: number;
}

export interface RunningProcess {
  child: ChildProcess;
  output: string[];
}

/**
 * A private copy of the platform for one test file: a fresh database (migrated and
 * seeded), a Redis key prefix of its own, the real api process and real worker processes.
 */
export class Stack {
  readonly name = `e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  db!: DataSource;
  redis!: Redis;
  api!: RunningProcess;
  workers: RunningProcess[] = [];
  baseUrl = '';
  credentials: DemoCredentials = DEMO_DEFAULTS;
  readonly env: Record<string, string>;

  constructor(private readonly options: StackOptions = {}) {
    this.env = {
      NODE_ENV: 'test',
      DB_NAME: this.name,
      REDIS_PREFIX: `e2e:${this.name}`,
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      WORKER_HEARTBEAT_INTERVAL_MS: '500',
      WORKER_HEARTBEAT_TTL_MS: '3000',
      OUTBOX_POLL_INTERVAL_MS: '100',
      CONFIG_CACHE_TTL_MS: '0',
      SESSION_CACHE_TTL_MS: '0',
      AVAILABILITY_CACHE_TTL_MS: '0',
      // Test receivers listen on 127.0.0.1; the SSRF guard has its own test that turns it on.
      CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'false',
      // Race tests start one customer many times at once; the throttling test sets its own limits.
      START_THROTTLE_LIMIT_PER_CUSTOMER: '0',
      ...options.env,
    };
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack(options);
    try {
      await stack.boot();
    } catch (err) {
      // A half-started stack would keep its database and connections (and Jest) alive.
      await stack.stop().catch(() => undefined);
      throw err;
    }
    return stack;
  }

  get contextUrl(): string {
    return `${this.baseUrl}/system`;
  }

  get clientApiUrl(): string {
    return `${this.contextUrl}/ws/v19/clientapplications`;
  }

  private async boot(): Promise<void> {
    const config = validateEnv({ ...process.env, ...this.env });
    const admin = new DataSource({ ...dataSourceOptions(config, { poolSize: 1 }), database: undefined } as never);
    await admin.initialize();
    await admin.query(`CREATE DATABASE \`${this.name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await admin.destroy();
    this.db = await new DataSource(dataSourceOptions(config, { poolSize: 5 })).initialize();
    await this.db.runMigrations();
    if (this.options.seed !== false) this.credentials = await seedDemo(this.db);
    if (this.options.agentCapacity !== undefined) await this.db.query('UPDATE agent SET max_chats = ?', [this.options.agentCapacity]);
    this.redis = new Redis({ host: config.REDIS_HOST, port: config.REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 1 });
    await this.redis.connect();
    const workers = Array.from({ length: this.options.workers ?? 1 }, () => this.startWorker());
    if (this.options.api !== false) await this.startApi();
    await Promise.all(workers);
  }

  /** Starts the api on a free port and waits until it answers. */
  async startApi(env: Record<string, string> = {}): Promise<RunningProcess> {
    const port = this.port ?? (this.port = await freePort());
    this.api = this.spawn('dist/src/main.js', { HTTP_PORT: String(port), ...env });
    this.baseUrl = `http://127.0.0.1:${port}`;
    const api = this.api;
    // Only the api's answers carry X-Request-Id: another server holding the port is not taken for it.
    await untilStarted(api, 'api', 'answer on its port', () => fetch(`${this.baseUrl}/`).then((res) => res.headers.has('x-request-id'), () => false));
    return api;
  }

  private port: number | undefined;

  /** Starts one more worker and waits until it has sent its first heartbeat. */
  async startWorker(env: Record<string, string> = {}): Promise<RunningProcess> {
    const worker = this.spawn('dist/src/worker.js', env);
    this.workers.push(worker);
    await untilStarted(worker, 'worker', 'send its first heartbeat', async () => {
      const rows = await this.db.query('SELECT 1 FROM worker_heartbeat WHERE pid = ?', [worker.child.pid]);
      return rows.length > 0;
    });
    return worker;
  }

  spawn(script: string, env: Record<string, string> = {}): RunningProcess {
    const child = spawn(process.execPath, [join(ROOT, script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    reapOnExit(child);
    const output: string[] = [];
    collectLines(child.stdout!, output);
    collectLines(child.stderr!, output);
    return { child, output };
  }

  async stop(): Promise<void> {
    await Promise.all([this.api, ...this.workers].filter(Boolean).map((p) => stopProcess(p, 'SIGTERM')));
    if (this.redis) {
      const keys = await scanKeys(this.redis, `${this.env.REDIS_PREFIX}:*`);
      for (let i = 0; i < keys.length; i += 500) await this.redis.del(...keys.slice(i, i + 500));
      this.redis.disconnect();
    }
    if (this.db?.isInitialized) {
      await this.db.query(`DROP DATABASE \`${this.name}\``);
      await this.db.destroy();
    }
  }

  /** Row count of each table, to show that a refused request wrote nothing. */
  async rowCounts(tables = ['customer', 'contact_point', 'customer_case', 'activity', 'conversation', 'outbox']): Promise<Record<string, number>> {
    // One statement for all tables: one round trip (the fuzz files count after each of
    // hundreds of requests), and counts of one moment rather than of several.
    const [row] = await this.db.query(`SELECT ${tables.map((t) => `(SELECT COUNT(*) FROM \`${t}\`) AS \`${t}\``).join(', ')}`);
    return Object.fromEntries(tables.map((t) => [t, Number(row[t])]));
  }
}

/**
 * How long an api or worker process gets to come up. A loaded machine (CI on two cores, a
 * noisy neighbour) makes a start of a second or two take many times that; the bound stays
 * under the 60 s Jest gives a test file's beforeAll, which also creates and migrates the
 * database, so that a process that does not come up fails with its own output below rather
 * than with Jest's bare hook timeout.
 */
export const PROCESS_START_LIMIT_MS = 45000;

/** Waits until `started` says the process is up; fails with the process's last output if it exits or takes too long. */
export async function untilStarted(p: RunningProcess, name: string, what: string, started: () => Promise<boolean>, limitMs = PROCESS_START_LIMIT_MS): Promise<void> {
  const since = Date.now();
  for (;;) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      // Its last lines may still be in the pipes when it has exited.
      await outputEnded(p);
      throw new Error(`${name} (pid ${p.child.pid}) exited (${p.child.exitCode ?? p.child.signalCode}) before it was up; ${lastOutput(p)}`);
    }
    if (await started()) return;
    if (Date.now() - since > limitMs) {
      throw new Error(`${name} (pid ${p.child.pid}) did not ${what} within ${limitMs} ms; ${lastOutput(p)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function outputEnded(p: RunningProcess): Promise<void> {
  const streams = [p.child.stdout, p.child.stderr].filter((s) => s && !s.closed);
  return Promise.all(streams.map((s) => new Promise((resolve) => s!.once('close', resolve)))).then(() => undefined);
}

/** The last lines a process wrote, for an error message. */
export function lastOutput(p: RunningProcess, lines = 30): string {
  if (p.output.length === 0) return 'it wrote nothing (the e2e processes log at E2E_LOG_LEVEL, warn unless set; info shows more)';
  return `its last ${Math.min(lines, p.output.length)} of ${p.output.length} lines:\n${p.output.slice(-lines).join('\n')}`;
}

export async function stopProcess(p: RunningProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => p.child.once('exit', () => resolve()));
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10000);
  await exited;
  clearTimeout(timer);
}

export function waitForOutput(p: RunningProcess, pattern: RegExp, timeoutMs = 20000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      const line = p.output.find((l) => pattern.test(l));
      if (line) return resolve(line);
      if (p.child.exitCode !== null) return reject(new Error(`process exited (${p.child.exitCode}) before ${pattern}:\n${p.output.slice(-20).join('\n')}`));
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}:\n${p.output.slice(-20).join('\n')}`));
      setTimeout(check, 25);
    };
    check();
  });
}


async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** Polls until `fn` returns a truthy value. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false | null>, timeoutMs = 10000, intervalMs = 50): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
