import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { collectLines } from './support/output-lines';
import { stopProcess, untilStarted, type RunningProcess } from './support/stack';

/**
 * A test file's api or worker that does not come up must say why: the error carries what the
 * process wrote last, whether it exited or is still running past the limit.
 */
describe('test support: a process that does not start', () => {
  const running: RunningProcess[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => stopProcess(p, 'SIGKILL')));
  });

  function run(script: string): RunningProcess {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    collectLines(child.stdout, output);
    collectLines(child.stderr, output);
    running.push({ child, output });
    return running.at(-1)!;
  }

  it('that hangs: fails at the limit with its last lines', async () => {
    const p = run(`for (let i = 1; i <= 40; i++) console.log('line ' + i); console.error('waiting for the database'); setInterval(() => undefined, 1000);`);
    const failure = untilStarted(p, 'api', 'answer on its port', async () => false, 1000);
    await expect(failure).rejects.toThrow(/^api \(pid \d+\) did not answer on its port within 1000 ms; its last 30 of 41 lines:\nline 12\n(.|\n)*line 40\nwaiting for the database$/);
  });

  it('that exits: fails at once with its exit code and last lines', async () => {
    const p = run(`console.error('invalid configuration: WEBHOOK_TIMEOUT_MS'); process.exit(3);`);
    const failure = untilStarted(p, 'worker', 'send its first heartbeat', async () => false, 60000);
    await expect(failure).rejects.toThrow(/^worker \(pid \d+\) exited \(3\) before it was up; its last 1 of 1 lines:\ninvalid configuration: WEBHOOK_TIMEOUT_MS$/);
  });

  it('that wrote nothing: says so', async () => {
    const p = run('setInterval(() => undefined, 1000);');
    await expect(untilStarted(p, 'worker', 'send its first heartbeat', async () => false, 300)).rejects.toThrow(/within 300 ms; it wrote nothing/);
  });
});

/**
 * A stack still starting when Jest gives up on its hook is left to finish; the processes it
 * started must not outlive the test process (reap-on-exit.js).
 */
describe('test support: processes a test process started', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('are killed when it exits', async () => {
    const reaper = JSON.stringify(join(__dirname, 'support', 'reap-on-exit.js'));
    // A test process that starts a long-running child, hands it to the reaper, and exits.
    const parent = spawnSync(process.execPath, ['-e', `
      const child = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
      require(${reaper}).reapOnExit(child);
      console.log(child.pid);
      setTimeout(() => process.exit(0), 200);
    `], { encoding: 'utf8' });
    const pid = Number(parent.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    const since = Date.now();
    while (alive(pid) && Date.now() - since < 5000) await new Promise((r) => setTimeout(r, 50));
    const survived = alive(pid);
    if (survived) process.kill(pid, 'SIGKILL');
    expect(survived).toBe(false);
  });
});
