import { execFileSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { http, lastModified, login, start, startDocument } from './support/client';
import { Stack, stopProcess, waitFor, waitForOutput } from './support/stack';

/**
 * SIGTERM to the api with a start in flight: the api stops taking connections at once, the
 * start finishes and is answered (a second SIGTERM changes nothing), its chat is handed to the worker by the api itself (not left
 * for the relay), and the process exits with code 0.
 */
describe('graceful shutdown of the api', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Neither the relay nor the assignment sweep runs within the test: only the api's own
    // hand-over can get the chat assigned in time.
    stack = await Stack.start({ env: { OUTBOX_RELAY_GRACE_MS: '60000', ASSIGNMENT_RETRY_INTERVAL_MS: '60000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses new connections, answers the start in flight, assigns its chat at once and exits 0', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    // The start waits on the outbox table until the test lets it go.
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.query('LOCK TABLES outbox WRITE');
    let answer: Awaited<ReturnType<typeof start>>;
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    let afterSignal = '';
    try {
      const inFlight = start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      await waitFor(async () => (await stack.db.query("SELECT 1 FROM information_schema.processlist WHERE state LIKE 'Waiting for table%lock'")).length > 0);
      const exited = new Promise<typeof exit>((resolve) => stack.api.child.once('exit', (code, signal) => resolve({ code, signal })));
      stack.api.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 250));
      // A second signal (an impatient operator, a supervisor that repeats it) changes nothing.
      stack.api.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 250));
      // The listener closes when the process handles the signal, which a busy machine may delay.
      const probe = () => http(`${stack.baseUrl}/health/live`).then((r) => String(r.status), (err: Error) => String((err.cause as { code?: string })?.code ?? err.message));
      await waitFor(async () => (afterSignal = await probe()) === 'ECONNREFUSED', 5000).catch(() => undefined);
      await runner.query('UNLOCK TABLES');
      answer = await inFlight;
      exit = await exited;
    } finally {
      await runner.query('UNLOCK TABLES').catch(() => undefined);
      await runner.release();
    }
    expect(afterSignal).toBe('ECONNREFUSED');
    expect(answer.status).toBe(200);
    // Answered after the signal on a keep-alive connection: the client is told to close it, so
    // that the process need not wait for the connection's keep-alive to run out.
    expect(answer.headers.get('connection')).toBe('close');
    const id = answer.body.conversation.activity.id as string;
    await waitFor(async () => (await stack.db.query("SELECT 1 FROM activity WHERE id = ? AND state = 'assigned'", [id])).length === 1, 5000);
    // The api marked the outbox row it delivered, so no relay sends it again.
    const [row] = await stack.db.query('SELECT relayed_at FROM outbox WHERE topic LIKE ?', ['assignment/%']);
    expect(row.relayed_at).not.toBeNull();
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('is not held up by connections that have sent part of a request, or nothing yet', async () => {
    const api = await stack.startApi();
    const { port } = new URL(stack.baseUrl);
    const opened = async (): Promise<Socket> => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      await new Promise((r) => socket.once('connect', r));
      return socket;
    };
    const partial = await opened();
    const silent = await opened();
    let exit: { code: number | null; signal: NodeJS.Signals | null } | 'still running';
    let exitMs: number;
    try {
      partial.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      // Node has read the partial request line and headers before the signal.
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      // Bounded, and the sockets closed whatever happens: an api held up by them would
      // otherwise keep the test file from ever finishing, rather than fail it.
      let bound: NodeJS.Timeout | undefined;
      exit = await Promise.race([
        new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
          api.child.once('exit', (code, signal) => resolve({ code, signal }));
          api.child.kill('SIGTERM');
        }),
        new Promise<'still running'>((resolve) => (bound = setTimeout(() => resolve('still running'), 15000))),
      ]);
      clearTimeout(bound);
      exitMs = Date.now() - sentAt;
    } finally {
      partial.destroy();
      silent.destroy();
    }
    expect(exit).toEqual({ code: 0, signal: null });
    // HEADERS_TIMEOUT_MS (60 s) no longer runs once the server closes: without a bound the
    // process waited for the client.
    expect(exitMs).toBeLessThan(5000);
  }, 30000);

  it('with API_PROCESSES > 1, one api process stopped on its own is replaced, although it exits 0', async () => {
    // At info each process logs 'api listening' with its pid: one stopped before it listens
    // stops the api, as a process that cannot start would.
    const api = await stack.startApi({ API_PROCESSES: '2', LOG_LEVEL: 'info' });
    const listening = (pid: number): boolean => api.output.some((l) => l.includes('"api listening"') && l.includes(`"pid":${pid}`));
    // ps exits 1 when the primary has no child at that instant (between one's exit and the next fork).
    const children = () => {
      try {
        return execFileSync('ps', ['-o', 'pid=', '--ppid', String(api.child.pid)]).toString().split('\n').map((l) => l.trim()).filter(Boolean).map(Number);
      } catch (err) {
        if ((err as { status?: number }).status === 1) return [];
        throw err;
      }
    };
    const [stopped] = await waitFor(async () => {
      const pids = children();
      return pids.length === 2 && pids.every(listening) && pids;
    }, 10000);
    process.kill(stopped, 'SIGTERM');
    await waitForOutput(api, /api process died; starting another/);
    await waitFor(async () => children().length === 2 && !children().includes(stopped), 15000);
    expect((await http(`${stack.baseUrl}/health/live`)).status).toBe(200);
    expect(api.child.exitCode).toBeNull();
    await stopProcess(api, 'SIGTERM');
  }, 30000);
});
