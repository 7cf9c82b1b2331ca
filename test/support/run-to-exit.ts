import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs one of the project's scripts (relative to its root) with only PATH and `env` for its
 * environment, and answers its exit code and everything it wrote, stdout and stderr together.
 * `killAfterMs`: a guard against a process that would never exit by itself (one that goes on
 * starting), killed with SIGKILL then.
 */
export function runToExit(script: string, env: Record<string, string>, options: { args?: string[]; killAfterMs?: number } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...(options.args ?? [])], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = options.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
