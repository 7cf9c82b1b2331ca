import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './modules/administration';
import { AppConfig, corsOrigins } from './platform/config/app-config';
import { configOrExit } from './platform/config/config-or-exit';
import { loadEnvFile } from './platform/config/load-env';
import { OPERATIONS_PATHS } from './platform/health/health.paths';
import { corsOptions } from './platform/http/cors';
import { applyHeadersTimeout } from './platform/http/headers-timeout';
import { recordedHeaders } from './platform/http/recorded-headers';
import { parseQueryString } from './platform/http/query-string';
import { answerUnreadableRequests } from './platform/http/unreadable-request';
import { Localizer } from './platform/i18n/localizer';
import { API_HEADER_POLICY, PAGE_HEADER_POLICY } from './platform/http/security-headers';
import { requestIdOf } from './platform/logging/logging.module';
import { requestLogBeforeExpress } from './platform/logging/request-log-before-express';
import { countAnswerBeforeExpress, httpMetricsMiddleware, joinClusterMetrics, serveClusterMetrics } from './platform/metrics';
import { routeTable } from './platform/openapi/mapped-routes';
import { setupOpenApi } from './platform/openapi/setup-openapi';
import { closeOnSignals } from './platform/runtime/close-on-signals';
import { installLeanAsyncResourceBind } from './platform/runtime/lean-async-resource-bind';

/**
 * Until pino takes over (useLogger), Nest buffers its lines; if start-up fails first (MySQL
 * unreachable, a port taken) it writes them, and the failure, through the logger given here:
 * JSON, like every other line. Without abortOnError Nest rethrows the failure instead of exiting
 * by itself, so the caller writes its fatal line and exits 1.
 */
export const STARTUP_LOGGING = { bufferLogs: true, abortOnError: false, logger: new ConsoleLogger({ json: true, colors: false }) } as const;

export async function createApi(): Promise<NestExpressApplication> {
  installLeanAsyncResourceBind();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, ...STARTUP_LOGGING });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  const apiHeaders = recordedHeaders(helmet(API_HEADER_POLICY));
  const pageHeaders = recordedHeaders(helmet(PAGE_HEADER_POLICY));
  const pages = [`${config.CONTEXT_PATH}/docs`, `${config.CONTEXT_PATH}/admin/queues`];
  app.use((req: Request, res: Response, next: NextFunction) => (pages.some((p) => req.path.startsWith(p)) ? pageHeaders : apiHeaders)(req, res, next));
  applyHeadersTimeout(app.getHttpServer(), config.HEADERS_TIMEOUT_MS);
  const requestLog = requestLogBeforeExpress();
  answerUnreadableRequests(app.getHttpServer(), app.get(Localizer), apiHeaders.headers, (req, res, clientError) => {
    requestLog(req, res, clientError);
    countAnswerBeforeExpress(req, res);
  });
  app.set('query parser', parseQueryString);
  // Answers are documents produced per request, never served twice unchanged: hashing each body
  // for an ETag would cost every request and serve no conditional GET.
  app.set('etag', false);
  app.set('trust proxy', false);
  // On SIGTERM the server stops accepting connections, but clients keep sending on their
  // keep-alive ones: answering those with `Connection: close` lets them drain, so the
  // in-flight requests finish and the process can exit (closeOnSignals).
  let draining = false;
  app.use(httpMetricsMiddleware());
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (draining) res.setHeader('Connection', 'close');
    const id = requestIdOf(req);
    req.headers['x-request-id'] = id;
    res.setHeader('X-Request-Id', id);
    next();
  });
  // Before Nest's middleware and guards (request timeout, negotiation, body formats,
  // authentication), none of which would let a preflight through; after the request id, so that
  // a preflight's answer carries one too.
  const cors = corsOptions(corsOrigins(config), config.CONTEXT_PATH);
  if (cors) app.enableCors(cors);
  if (config.CONTEXT_PATH) app.setGlobalPrefix(config.CONTEXT_PATH, { exclude: OPERATIONS_PATHS });
  // Express-level mounts go before Nest's middleware: content negotiation is the API's, not the docs'.
  setupOpenApi(app, config.CONTEXT_PATH, 'v19');
  mountQueueDashboard(app, config.CONTEXT_PATH);
  closeOnSignals(app, () => (draining = true));
  return app;
}

async function serve(): Promise<void> {
  joinClusterMetrics();
  const app = await createApi();
  const config = app.get(AppConfig);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const address = app.getHttpServer().address() as AddressInfo;
  const logger = app.get(Logger);
  logger.log({ port: address.port, contextPath: config.CONTEXT_PATH, pid: process.pid }, 'api listening');
  logger.debug?.({ ...routeTable(app) }, 'route table');
}

function main(): void {
  loadEnvFile();
  const config = configOrExit();
  // API_PROCESSES > 1: Node's cluster module shares the port between that many api processes.
  if (config.API_PROCESSES > 1 && cluster.isPrimary) {
    serveClusterMetrics();
    for (let i = 0; i < config.API_PROCESSES; i++) cluster.fork();
    const served = new Set<number>();
    cluster.on('listening', (worker) => served.add(worker.id));
    let shuttingDown: NodeJS.Signals | undefined;
    const stopAll = (sig: NodeJS.Signals) => {
      shuttingDown = sig;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(sig);
    };
    cluster.on('exit', (worker, code, signal) => {
      if (shuttingDown) {
        // The api's exit status is its processes': one that could not stop cleanly (its close
        // bounded at 10 s, a crash, a kill) makes the api exit 1, as a single process would.
        // One still starting, ended by the signal passed on before it could take it, had nothing to finish.
        if (code === 0 || (!served.has(worker.id) && signal === shuttingDown)) return;
        console.error(JSON.stringify({ level: 'error', msg: 'api process did not stop cleanly', pid: worker.process.pid, code, signal }));
        process.exitCode = 1;
        return;
      }
      // Outside a shutdown of the whole api, a process that stopped, even cleanly (a SIGTERM of
      // its own ends it with code 0), is one process fewer serving: it is replaced.
      if (!served.has(worker.id)) {
        // It failed before it listened (MySQL unreachable, the port taken): another one would
        // fail the same way, again and again. Stop as a single api process does, with code 1,
        // and leave restarting to the supervisor.
        console.error(JSON.stringify({ level: 'fatal', msg: 'api process failed to start; stopping the others', pid: worker.process.pid, code, signal }));
        process.exitCode = 1;
        stopAll('SIGTERM');
        return;
      }
      console.error(JSON.stringify({ level: 'error', msg: 'api process died; starting another', pid: worker.process.pid, code, signal }));
      cluster.fork();
    });
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => stopAll(sig));
    return;
  }
  serve().catch((err: unknown) => {
    console.error(JSON.stringify({ level: 'fatal', msg: 'api failed to start', err: err instanceof Error ? err.message : String(err) }));
    process.exit(1);
  });
}

if (require.main === module) main();
