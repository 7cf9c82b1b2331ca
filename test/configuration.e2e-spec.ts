import { createConnection } from 'mysql2/promise';
import { freePort } from './support/operations';
import { runToExit } from './support/run-to-exit';

/**
 * A guard against a process that never exits, under the test's own 60 s: on a busy machine two
 * api processes failing to reach MySQL (3 connection attempts each) took more than 20 s.
 */
function run(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return runToExit(script, env, { args, killAfterMs: 50000 });
}

/** A wrong setting stops the built processes at start-up, before they connect to anything. */
describe('configuration validated at start-up', () => {
  it('the api exits with code 1 and a message naming the wrong setting, without a stack trace', async () => {
    const { code, output } = await run('dist/src/main.js', { HTTP_PORT: 'not-a-port', LOG_LEVEL: 'info' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    expect(output).toContain('HTTP_PORT="not-a-port": HTTP_PORT must be an integer number');
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain('api listening');
  });

  it('the worker exits with code 1 and names every wrong setting', async () => {
    const { code, output } = await run('dist/src/worker.js', { LOG_LEVEL: 'loud', WORKER_HEALTH_PORT: 'x' });
    expect(code).toBe(1);
    expect(output).toContain('LOG_LEVEL="loud"');
    expect(output).toContain('WORKER_HEALTH_PORT="x"');
    expect(output).not.toContain('worker started');
  });

  it('the api in cluster mode (API_PROCESSES > 1) refuses a wrong setting before forking', async () => {
    const { code, output } = await run('dist/src/main.js', { API_PROCESSES: '2', CONTEXT_PATH: 'system' });
    expect(code).toBe(1);
    expect(output.match(/Invalid configuration:/g)).toHaveLength(1);
    expect(output).toContain('CONTEXT_PATH="system"');
  });
});

/**
 * `npm start` creates the database, then runs the migrations through TypeORM's CLI, before
 * the api and the worker: a wrong setting stops those steps the same way, before they
 * connect to anything.
 */
describe('configuration validated by the steps of npm start', () => {
  it('the creation of the database exits with code 1, naming the wrong setting, and creates nothing', async () => {
    const name = `cfg_${process.pid}_${Date.now()}`;
    // Number("3306x") is NaN, which mysql2 took as its default port: the database was created there.
    const { code, output } = await run('scripts/create-database.js', { DB_NAME: name, DB_PORT: '3306x' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    expect(output).toContain('DB_PORT="3306x": DB_PORT must be an integer number');
    expect(output).not.toMatch(/\n\s+at /);
    const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
    try {
      const [rows] = await admin.query('SHOW DATABASES LIKE ?', [name]);
      expect(rows).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
  });

  it.each(['migration:run', 'migration:revert'])('%s exits with code 1 and the message, without a stack trace', async (command) => {
    const { code, output } = await run('node_modules/typeorm/cli.js', { DB_PORT: 'abc', LOG_LEVEL: 'loud' }, [command, '-d', 'dist/ormconfig.js']);
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration:');
    expect(output).toContain('DB_PORT="abc": DB_PORT must be an integer number');
    expect(output).toContain('LOG_LEVEL="loud"');
    expect(output).not.toMatch(/\n\s+at /);
  });
});

/** Every line a process wrote is JSON: no coloured line of Nest's default logger, no bare stack trace. */
function nonJsonLines(output: string): string[] {
  return output.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      JSON.parse(line);
      return false;
    } catch {
      return true;
    }
  });
}

/** MySQL (and Redis) on ports where nothing listens: start-up fails at the first connection. */
async function unreachableServices(): Promise<Record<string, string>> {
  return { DB_PORT: String(await freePort()), REDIS_PORT: String(await freePort()), LOG_LEVEL: 'info' };
}

describe('a start-up that cannot reach MySQL', () => {
  it('stops the api with code 1, writing JSON lines only', async () => {
    const { code, output } = await run('dist/src/main.js', await unreachableServices());
    expect(code).toBe(1);
    expect(output).toContain('"msg":"api failed to start"');
    expect(nonJsonLines(output)).toEqual([]);
  });

  it('stops a cluster of api processes with code 1 instead of starting new ones that fail the same way', async () => {
    const { code, output } = await run('dist/src/main.js', { ...(await unreachableServices()), API_PROCESSES: '2' });
    expect(code).toBe(1);
    expect(output).toContain('"msg":"api process failed to start; stopping the others"');
    expect(output).not.toContain('starting another');
    expect(nonJsonLines(output)).toEqual([]);
  });

  it('stops the worker with code 1, writing JSON lines only', async () => {
    const { code, output } = await run('dist/src/worker.js', await unreachableServices());
    expect(code).toBe(1);
    expect(output).toContain('"msg":"worker failed to start"');
    expect(nonJsonLines(output)).toEqual([]);
  });
});
