import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Throwaway MariaDB and Redis servers for fault tests: each test stops and restarts its
 * own instance on a free port and never touches the machine's shared services.
 */
/**
 * Ports handed out for a process to bind later are taken below Linux's ephemeral range
 * (32768–60999), where a port the kernel picks for a `listen(0)` never falls. A port taken from
 * that range and released until the api binds it was once given meanwhile to a webhook receiver
 * of a test file running beside: the api could not bind it, and the tests talked to the receiver.
 */
const HANDED_OUT_PORTS = { from: 20000, to: 32767 };

export async function freePort(): Promise<number> {
  for (;;) {
    const candidate = HANDED_OUT_PORTS.from + Math.floor(Math.random() * (HANDED_OUT_PORTS.to - HANDED_OUT_PORTS.from + 1));
    const port = await new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(undefined));
      server.listen(candidate, '127.0.0.1', () => {
        const { port: bound } = server.address() as AddressInfo;
        server.close(() => resolve(bound));
      });
    });
    if (port !== undefined) return port;
  }
}

abstract class PrivateServer {
  protected child: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'msg-fault-'));
  port = 0;

  protected abstract command(): [string, string[]];
  protected abstract ready(): boolean;

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server, on the same port as before after a kill; a no-op while it runs. */
  async start(): Promise<void> {
    if (this.running) return;
    if (this.port === 0) this.port = await freePort();
    const [bin, args] = this.command();
    this.child = spawn(bin, args, { stdio: 'ignore' });
    const started = Date.now();
    while (!this.ready()) {
      if (this.child.exitCode !== null) throw new Error(`${bin} exited with ${this.child.exitCode}`);
      if (Date.now() - started > 30000) throw new Error(`${bin} did not start`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: the server dies as in a crash. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  /** SIGSTOP / SIGCONT: the server hangs without closing its connections, as behind a dead network. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  async destroy(): Promise<void> {
    this.resume();
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export class PrivateMariaDb extends PrivateServer {
  private installed = false;

  /** `options`: further server options, e.g. `--default-time-zone=-05:00`. */
  constructor(private readonly options: string[] = []) {
    super();
  }

  protected command(): [string, string[]] {
    if (!this.installed) {
      execFileSync('mariadb-install-db', ['--no-defaults', `--datadir=${this.dir}/data`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { stdio: 'ignore' });
      this.installed = true;
    }
    return ['/usr/sbin/mariadbd', ['--no-defaults', `--datadir=${this.dir}/data`, `--port=${this.port}`, '--bind-address=127.0.0.1', `--socket=${this.dir}/sock`, '--user=root', '--innodb-buffer-pool-size=64M', '--skip-log-bin', ...this.options]];
  }

  protected ready(): boolean {
    try {
      execFileSync('mysqladmin', ['-uroot', '-h127.0.0.1', `-P${this.port}`, 'ping'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }
}

export class PrivateRedis extends PrivateServer {
  protected command(): [string, string[]] {
    return ['redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir]];
  }

  protected ready(): boolean {
    try {
      return execFileSync('redis-cli', ['-p', String(this.port), 'ping']).toString().trim() === 'PONG';
    } catch {
      return false;
    }
  }
}
