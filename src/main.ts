import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cluster from 'node:cluster';
import type { AddressInfo, Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './modules/administration';
import { AppConfig, corsOrigins } from './platform/config/app-config';
import { configOrExit } from './platform/config/config-or-exit';
import { loadEnvFile } from './platform/config/load-env';
import { AppError } from './platform/errors/app-error';
import { UNAVAILABLE_RETRY_AFTER } from './platform/errors/error-catalogue';
import { errorText } from './platform/errors/masked-error-text';
import { OPERATIONS_PATHS } from './platform/health/health.paths';
import { corsOptions } from './platform/http/cors';
import { applyHeadersTimeout } from './platform/http/headers-timeout';
import { closeStalledConnections } from './platform/http/stalled-connections';
import { boundPipelinedRequests } from './platform/http/pipelined-requests';
import { inSequence } from './platform/http/middleware-sequence';
import { DirectJsonExpressAdapter } from './platform/http/json-reply';
import { lingerWhenClosed } from './platform/http/read-body';
import { recordedHeaders } from './platform/http/recorded-headers';
import { parseQueryString } from './platform/http/query-string';
import { answerUnreadableRequests } from './platform/http/unreadable-request';
import { Localizer } from './platform/i18n/localizer';
import { API_HEADER_POLICY, PAGE_HEADER_POLICY } from './platform/http/security-headers';
import { requestIdOf } from './platform/logging/logging.module';
import { requestLogBeforeExpress } from './platform/logging/request-log-before-express';
import { plainLine } from './platform/logging/plain-line';
import { countAnswerBeforeExpress, httpMetricsMiddleware, joinClusterMetrics, serveClusterMetrics } from './platform/metrics';
import { routeTable } from './platform/openapi/mapped-routes';
import { setupOpenApi } from './platform/openapi/setup-openapi';
import { runApiPrimary } from './platform/cluster/api-primary';
import { answerLivenessPings } from './platform/cluster/liveness';
import { closeOnSignals } from './platform/runtime/close-on-signals';
import { exitOnCrash } from './platform/runtime/exit-on-crash';
import { installLeanAsyncResourceBind } from './platform/runtime/lean-async-resource-bind';
import { belowMinimumFields, requireServerVersions } from './platform/runtime/server-versions';

/**
 * Until pino takes over (useLogger), Nest buffers its lines; if start-up fails first (MySQL
 * unreachable, a port taken) it writes them, and the failure, through the logger given here:
 * JSON, like every other line. Without abortOnError Nest rethrows the failure instead of exiting
 * by itself, so the caller writes its fatal line and exits 1.
 */
export const STARTUP_LOGGING = { bufferLogs: true, abortOnError: false, logger: new ConsoleLogger({ json: true, colors: false }) } as const;

export async function createApi(): Promise<NestExpressApplication> {
  installLeanAsyncResourceBind();
  const app = await NestFactory.create<NestExpressApplication>(AppModule, new DirectJsonExpressAdapter(), { bodyParser: false, ...STARTUP_LOGGING });
  const config = app.get(AppConfig);
  app.useLogger(app.get(PinoLogger));
  app.disable('x-powered-by');
  const apiHeaders = recordedHeaders(helmet(API_HEADER_POLICY));
  const pageHeaders = recordedHeaders(helmet(PAGE_HEADER_POLICY));
  const pages = [`${config.CONTEXT_PATH}/docs`, `${config.CONTEXT_PATH}/admin/queues`];
  const securityHeaders = (req: Request, res: Response, next: NextFunction) => (pages.some((p) => req.path.startsWith(p)) ? pageHeaders : apiHeaders)(req, res, next);
  applyHeadersTimeout(app.getHttpServer(), config.HEADERS_TIMEOUT_MS);
  closeStalledConnections(app.getHttpServer(), config);
  // A connection closed after an answer saying `Connection: close` first drops what the client still sends.
  app.getHttpServer().on('connection', (socket: Socket) => lingerWhenClosed(socket));
  const requestLog = requestLogBeforeExpress();
  const refuse = answerUnreadableRequests(app.getHttpServer(), app.get(Localizer), apiHeaders.headers, (req, res, clientError) => {
    requestLog(req, res, clientError);
    countAnswerBeforeExpress(req, res);
  });
  // Around every other handler of a request, refusals included: each counts as one worked on.
  // On SIGTERM a request read whole but not begun is refused (closeOnSignals).
  const answerThenClose = boundPipelinedRequests(app.getHttpServer(), config.PIPELINED_REQUESTS_LIMIT, (res) =>
    refuse(res, new AppError('ServiceUnavailable', 'the api is stopping; the request was not begun', undefined, {}, UNAVAILABLE_RETRY_AFTER)),
  );
  app.set('query parser', parseQueryString);
  // Answers are documents produced per request, never served twice unchanged: hashing each body
  // for an ETag would cost every request and serve no conditional GET.
  app.set('etag', false);
  app.set('trust proxy', false);
  const requestId = (req: Request, res: Response, next: NextFunction) => {
    const id = requestIdOf(req);
    req.headers['x-request-id'] = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
  // One layer of the router, not three: each layer is a turn of its dispatch loop for every request.
  app.use(inSequence([securityHeaders, httpMetricsMiddleware(), requestId]));
  // Before Nest's middleware and guards (request timeout, negotiation, body formats,
  // authentication), none of which would let a preflight through; after the request id, so that
  // a preflight's answer carries one too.
  const cors = corsOptions(corsOrigins(config), config.CONTEXT_PATH);
  if (cors) app.enableCors(cors);
  if (config.CONTEXT_PATH) app.setGlobalPrefix(config.CONTEXT_PATH, { exclude: OPERATIONS_PATHS });
  // Express-level mounts go before Nest's middleware: content negotiation is the API's, not the docs'.
  setupOpenApi(app, config.CONTEXT_PATH, 'v19');
  mountQueueDashboard(app, config.CONTEXT_PATH);
  // On SIGTERM the server stops taking connections; those with requests in flight are answered
  // (the last answer with `Connection: close`) and read no more, so the process can exit.
  closeOnSignals(app, answerThenClose);
  return app;
}

async function serve(config: AppConfig): Promise<void> {
  // Before anything connects: a server the platform cannot run on ends the start-up here.
  await requireServerVersions(config);
  joinClusterMetrics();
  answerLivenessPings();
  const app = await createApi();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  const address = app.getHttpServer().address() as AddressInfo;
  // Through Nest's Logger, as every other line: pino's Logger would take the message, its last
  // string, for the context.
  const logger = new Logger('Api');
  logger.log({ port: address.port, contextPath: config.CONTEXT_PATH }, 'api listening');
  logger.debug({ ...routeTable(app) }, 'route table');
}

function main(): void {
  // The primary too: it has no logger, its line is the plain one.
  exitOnCrash('api');
  loadEnvFile();
  const config = configOrExit();
  // API_PROCESSES > 1: Node's cluster module shares the port between that many api processes.
  if (config.API_PROCESSES > 1 && cluster.isPrimary) {
    serveClusterMetrics();
    runApiPrimary(config);
    return;
  }
  serve(config).catch((err: unknown) => {
    plainLine('fatal', 'api failed to start', { err: errorText(err), ...belowMinimumFields(err) });
    process.exit(1);
  });
}

if (require.main === module) main();
