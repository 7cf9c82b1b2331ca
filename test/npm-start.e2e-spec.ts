import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { validateEnv } from '../src/platform/config/app-config';
import { dataSourceOptions } from '../src/platform/database/data-source-options';
import { collectLines } from './support/output-lines';
import { freePort } from './support/private-services';
import { waitFor, waitForOutput, type RunningProcess } from './support/stack';

const ROOT = join(__dirname, '..');

/**
 * The README's first command after its install and build (scripts/run-built.js, which
 * `npm start` runs last): database created, migrated and seeded, api and worker running, and
 * the banner's curl session, run as printed, starting a conversation that an agent gets.
 */
describe('npm start on a built checkout', () => {
  const name = `e2e_${process.pid}_${randomBytes(4).toString('hex')}`;
  let env: Record<string, string>;
  let admin: DataSource;
  let running: RunningProcess | undefined;

  beforeAll(async () => {
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DB_NAME: name,
      REDIS_PREFIX: `e2e:${name}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(await freePort()),
      WORKER_HEALTH_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
    admin = await new DataSource({ ...dataSourceOptions(validateEnv({ ...process.env, ...env }), { poolSize: 1 }), database: undefined } as never).initialize();
  });

  afterAll(async () => {
    if (running?.child.exitCode === null) process.kill(-running.child.pid!, 'SIGKILL');
    await admin?.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin?.destroy();
    const redis = new Redis({ lazyConnect: true });
    await redis.connect();
    const keys = await redis.keys(`e2e:${name}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  function runBuilt(overrides: Record<string, string> = {}): RunningProcess {
    // Its own process group: a test that fails midway can stop the api and the worker with it.
    const child = spawn(process.execPath, ['scripts/run-built.js'], { cwd: ROOT, env: { ...env, ...overrides }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const output: string[] = [];
    collectLines(child.stdout, output);
    collectLines(child.stderr, output);
    running = { child, output };
    return running;
  }

  async function stopWithCtrlC(p: RunningProcess): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => p.child.once('exit', (code) => resolve(code)));
    process.kill(-p.child.pid!, 'SIGINT');
    return exited;
  }

  /** The shell lines of the banner, as a newcomer would paste them. */
  function bannerSession(output: string[]): string {
    const from = output.findIndex((l) => l === 'Start a conversation:');
    return output.slice(from + 1).filter((l) => l.startsWith('  ')).join('\n');
  }

  /** The README's curl session, pointed at this copy's port. */
  function readmeSession(): string {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Start a conversation with curl'));
    const block = /```bash\n([\s\S]*?)```/.exec(section)![1];
    expect(block).toContain('BASE=http://127.0.0.1:3000/');
    return block.replace('BASE=http://127.0.0.1:3000/', `BASE=http://127.0.0.1:${env.HTTP_PORT}/`);
  }

  const shell = (script: string) => promisify(execFile)('bash', ['-c', `set -e\n${script}`], { timeout: 30000 });
  const origin = () => `http://127.0.0.1:${env.HTTP_PORT}`;
  const answers = (url: string) => fetch(url).then((res) => res.status, () => undefined);

  it('seeds an empty database, shows the banner once api and worker are ready, and its session starts a chat that is assigned', async () => {
    const p = runBuilt();
    await waitForOutput(p, /^Demo data created\.$/, 90000);
    await waitForOutput(p, /^Start a conversation:$/, 90000);
    // Printed after readiness (MySQL, Redis and a live worker): nothing of the start-up after it.
    expect(await answers(`${origin()}/health/ready`)).toBe(200);
    // The worker's health and metrics on the port the environment gives it, not npm start's default.
    expect(await answers(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/health/ready`)).toBe(200);
    const banner = p.output.slice(p.output.indexOf('Start a conversation:'));
    expect(banner.some((l) => /^\{"level"/.test(l))).toBe(false);

    await waitFor(async () => p.output.some((l) => l.includes('/messaging/conversation/$ID')), 5000);
    const db = await new DataSource(dataSourceOptions(validateEnv({ ...process.env, ...env }), { poolSize: 1 })).initialize();
    try {
      // The banner's session, then the README's: each starts a conversation, reads it back, and an agent gets it.
      for (const session of [bannerSession(p.output), readmeSession()]) {
        const { stdout } = await shell(session);
        const [started, read] = stdout.trim().split('\n').map((l) => JSON.parse(l));
        expect(started.conversation).toMatchObject({ state: 'waiting', entryPoint: { id: '1001' } });
        expect(read.conversation.id).toBe(started.conversation.id);
        // Pasted as printed, the session reads the conversation a second after the start: assigned by then.
        expect(read.conversation).toMatchObject({ state: 'assigned', agent: { id: expect.any(String) } });
        const assigned = await waitFor(async () => {
          const [row] = await db.query('SELECT state, agent_id FROM activity WHERE conversation_id = ?', [started.conversation.id]);
          return row?.state === 'assigned' ? row : undefined;
        });
        expect(assigned.agent_id).not.toBeNull();
      }
    } finally {
      await db.destroy();
    }

    expect(await stopWithCtrlC(p)).toBe(0);
    expect([await answers(`${origin()}/health/live`), await answers(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/health/live`)]).toEqual([undefined, undefined]);
  }, 180000);

  it('starts again on the same database without seeding it twice', async () => {
    const p = runBuilt();
    await waitForOutput(p, /demo seed skipped/, 90000);
    await waitForOutput(p, /^Start a conversation:$/, 90000);
    const [{ n }] = await admin.query(`SELECT COUNT(*) AS n FROM \`${name}\`.client_application`);
    expect(Number(n)).toBe(2);
    expect(await stopWithCtrlC(p)).toBe(0);
  }, 180000);

  it('stops at a setting it cannot use with the reason alone and exit code 1, no stack trace of its own', async () => {
    const p = runBuilt({ SESSION_TTL_SECONDS: '3' });
    const code = await new Promise<number | null>((resolve) => p.child.once('exit', resolve));
    expect(code).toBe(1);
    expect(p.output.some((l) => l.includes('SESSION_TTL_SECONDS'))).toBe(true);
    expect(p.output.filter((l) => /^\s+at /.test(l) || /Command failed/.test(l))).toEqual([]);
  }, 60000);

  it('stops with the api\'s reason and exit code 1 when the port is taken, even by something that never answers', async () => {
    const held: Socket[] = [];
    const squatter = createServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => squatter.listen(Number(env.HTTP_PORT), '127.0.0.1', resolve));
    try {
      const p = runBuilt();
      const code = await new Promise<number | null>((resolve) => p.child.once('exit', resolve));
      expect(code).toBe(1);
      expect(p.output.some((l) => l.includes('EADDRINUSE'))).toBe(true);
      expect(p.output).not.toContain('Start a conversation:');
      expect(await answers(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/health/live`)).toBeUndefined();
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 120000);
});
