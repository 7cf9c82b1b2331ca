import type { INestApplication } from '@nestjs/common';
import { errorText } from '../errors/masked-error-text';
import { plainLine } from '../logging/plain-line';
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * How long the application may take to close once the last request is answered. A database
 * that hangs keeps a query of a request answered 503 waiting, and closing the pool waits for it:
 * the stop never ended. Past this, the process exits 1 as the worker's watchdog does; what was
 * answered is committed, and outbox rows not yet marked relayed are relayed again (idempotent).
 */
export const CLOSE_TIMEOUT_MS = 10_000;

/**
 * The api's graceful stop, on SIGTERM or SIGINT: each connection with requests in flight is handed
 * to `answerThenClose`, which has its last answer carry `Connection: close` (or closes it once that
 * is sent) and reads no more from it; the server stops taking connections and waits until the
 * requests in flight are answered, and only then does the application close (queues, Redis, the
 * database), so that what those requests commit is handed over as at any other time; then the
 * process exits 0.
 *
 * Not Nest's `enableShutdownHooks`: it closes the modules before the server (the queues were
 * closed under the requests still running, whose chats then waited for the relay), keeps taking
 * connections meanwhile, and ends by raising the signal again, so the process showed as killed
 * by SIGTERM (exit status 143) rather than stopped. A second signal changes nothing.
 *
 * Connections without a request being answered are closed at once: idle keep-alive ones, and
 * ones that have sent only part of a request's line and headers. Node stops timing headers
 * when its server closes, so one of those held the shutdown up for as long as its client kept
 * it open. No request of theirs has reached the application.
 */
export function closeOnSignals(app: INestApplication, answerThenClose?: (socket: Socket) => void): void {
  const server = app.getHttpServer() as Server;
  const open = new Set<Socket>();
  let closing = false;
  // Requests being answered, by connection: those of requests that came before the signal are
  // told to close their connection too, or each would stay open, idle, until keepAliveTimeout,
  // and the server's close with it.
  const unanswered = new Map<Socket, Set<ServerResponse>>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    // A request never answered has no `close` of its own: one read after an answer that closed its
    // connection (pipelined-requests.ts) is never begun, and its answer was held here for good.
    socket.once('close', () => (open.delete(socket), unanswered.delete(socket)));
  });
  // First, so that a request pipelined behind others is known before any of them is answered.
  server.prependListener('request', (req, res) => {
    const socket = req.socket;
    const answers = unanswered.get(socket) ?? new Set<ServerResponse>();
    unanswered.set(socket, answers.add(res));
    // Once answered, the connection ends by itself: the answer carried `Connection: close`.
    res.once('close', () => {
      answers.delete(res);
      if (answers.size === 0 && unanswered.get(socket) === answers) unanswered.delete(socket);
    });
  });
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    let watchdog: NodeJS.Timeout | undefined;
    let code = 0;
    try {
      for (const socket of open) if (unanswered.has(socket)) (answerThenClose ?? closeAfterLastAnswer)(socket);
      else socket.destroy();
      // Node's close() also closes the connections its parser sees idle: one whose requests were all
      // read and whose answer being written was ended, though not yet sent, with others worked on or
      // waiting behind it, was closed with their answers unsent (a start committed, its client never
      // told). Those idle in truth were closed just above.
      server.closeIdleConnections = () => undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await closed;
      watchdog = setTimeout(() => {
        plainLine('error', 'graceful shutdown took too long; exiting', { timeoutMs: CLOSE_TIMEOUT_MS });
        process.exit(1);
      }, CLOSE_TIMEOUT_MS).unref();
      await app.close();
    } catch (err) {
      plainLine('error', 'api shutdown failed', { err: errorText(err) });
      code = 1;
    } finally {
      // The stop is decided: a watchdog left running would later exit 1 wherever the exit
      // below does not end the process (a test recording it).
      clearTimeout(watchdog);
    }
    process.exit(code);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void close());

  /** A server without pipelined-requests.ts: its answer in flight last read closes the connection. */
  function closeAfterLastAnswer(socket: Socket): void {
    const last = [...(unanswered.get(socket) ?? [])].pop();
    if (last !== undefined && !last.headersSent) last.setHeader('Connection', 'close');
  }
}
