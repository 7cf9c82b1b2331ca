import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { configOrExit } from './platform/config/config-or-exit';
import { loadEnvFile } from './platform/config/load-env';
import { WorkerModule } from './worker.module';

/** The worker: a Nest application context without HTTP. Start as many as needed, anywhere. */
async function main(): Promise<void> {
  loadEnvFile();
  configOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log({ pid: process.pid }, 'worker started');
}

main().catch((err: unknown) => {
  console.error(JSON.stringify({ level: 'fatal', msg: 'worker failed to start', err: err instanceof Error ? err.message : String(err) }));
  process.exit(1);
});
