import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * The api's graceful stop, on SIGTERM or SIGINT: `onSignal` runs at once (answers then carry
 * `Connection: close`), the server stops taking connections and waits until the requests in
 * flight are answered, and only then does the application close (queues, Redis, the database),
 * so that what those requests commit is handed over as at any other time; then the process exits 0.
 *
 * Not Nest's `enableShutdownHooks`: it closes the modules before the server (the queues were
 * closed under the requests still running, whose chats then waited for the relay), keeps taking
 * connections meanwhile, and ends by raising the signal again, so the process showed as killed
 * by SIGTERM (exit status 143) rather than stopped. A second signal changes nothing.
 */
export function closeOnSignals(app: INestApplication, onSignal: () => void): void {
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    onSignal();
    try {
      const server = app.getHttpServer() as Server;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'api shutdown failed', err: err instanceof Error ? err.message : String(err) }));
      process.exit(1);
    }
    process.exit(0);
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, () => void close());
}
