import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { configOrExit } from './platform/config/config-or-exit';
import { loadEnvFile } from './platform/config/load-env';
import { errorText } from './platform/errors/masked-error-text';
import { plainLine } from './platform/logging/plain-line';
import { installMaskedJobFailures } from './platform/queue/masked-job-failures';
import { exitOnCrash } from './platform/runtime/exit-on-crash';
import { belowMinimumFields, requireServerVersions } from './platform/runtime/server-versions';
import { WorkerHeartbeat } from './modules/agent';
import { WorkerModule } from './worker.module';

/** Longer than any assignment job; a job still running then is retried by another worker (stalled-job check). */
const SHUTDOWN_TIMEOUT_MS = 25000;

/** The worker: a Nest application context without HTTP. Start as many as needed, anywhere. */
async function main(): Promise<void> {
  // Its logger takes the crash line over as soon as it exists (LoggingModule).
  exitOnCrash('worker');
  loadEnvFile();
  const config = configOrExit();
  // Before the workers take any job: a server the platform cannot run on ends the start-up here.
  await requireServerVersions(config);
  installMaskedJobFailures();
  // As the api's: lines of a failed start-up are JSON too, and the failure comes back here.
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false, logger: new ConsoleLogger({ json: true, colors: false }) });
  app.useLogger(app.get(PinoLogger));
  // SIGTERM: stop taking jobs, let the ones in progress finish, stop the relay, exit 0.
  app.enableShutdownHooks([], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => setTimeout(() => {
      plainLine('error', 'graceful shutdown took too long; exiting', { timeoutMs: SHUTDOWN_TIMEOUT_MS });
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref());
  }
  await app.init();
  // Counted as a live worker from here only: a start that failed above left no heartbeat row.
  await app.get(WorkerHeartbeat).start();
  new Logger('Worker').log('worker started');
}

main().catch((err: unknown) => {
  plainLine('fatal', 'worker failed to start', { err: errorText(err), ...belowMinimumFields(err) });
  process.exit(1);
});
