import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script)], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
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
