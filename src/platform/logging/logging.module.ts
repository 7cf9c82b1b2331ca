import { Global, Module, RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ClsServiceManager } from 'nestjs-cls';
import { Logger, LoggerModule } from 'nestjs-pino';
import { logCrashesTo } from '../runtime/exit-on-crash';
import { AppConfig } from '../config/app-config';
import { OPERATIONS_PATHS } from '../health/health.paths';
import { loggableError } from './loggable-error';
import { loggedUrl } from './logged-url';

/** Whether a crash is logged through the process's logger (always true once it is made). */
const CRASH_LINES_LOGGED = Symbol('CRASH_LINES_LOGGED');

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** The levels at which pino-http's request lines (always written at info) are seen. */
const REQUEST_LINE_LEVELS: ReadonlySet<string> = new Set(['info', 'debug', 'trace']);
/** Probes and scrapes come every few seconds; logging each would drown the requests that matter. */
const UNLOGGED = new Set(OPERATIONS_PATHS.map((p) => `/${p}`));

/** A request id from `X-Request-Id` when it is sane, a fresh UUID otherwise. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Structured JSON logs (pino). Every line carries the correlation id kept in async
 * context: the request id in the api, the job's correlation id in the worker.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Above info pino-http has no request line to write, yet its middleware would still build
        // two child loggers per request (serializing the request for one) and run a second
        // async context beside nestjs-cls'. Without it, every line comes from the root logger,
        // whose mixin adds the correlation id; failures log their path themselves.
        // At info and below, every route: the package's own default ('*') is a path Express 5
        // no longer reads as written, so Nest warned at every start-up while converting it.
        forRoutes: REQUEST_LINE_LEVELS.has(config.LOG_LEVEL) ? [{ path: '{*path}', method: RequestMethod.ALL }] : [],
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: (req) => ClsServiceManager.getClsService().getId() ?? requestIdOf(req),
          // The mixin alone puts correlationId on every line, request lines included; a customProps
          // binding wrote it a second time and cost a child logger per request.
          mixin: () => {
            const cls = ClsServiceManager.getClsService();
            const id = cls.isActive() ? (cls.get<string>('correlationId') ?? cls.getId()) : undefined;
            return id ? { correlationId: id } : {};
          },
          autoLogging: { ignore: (req) => UNLOGGED.has(req.url ?? '') },
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          serializers: {
            // The query string's values but those the API reads: a client may put a token or a customer's address there.
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggedUrl(req.url) }),
            // A failed statement's parameters and the values MySQL quotes are customers' data.
            err: loggableError,
          },
        },
      }),
    }),
  ],
  providers: [
    {
      // Made as soon as the logger is, while Nest builds the application and before any module's
      // hooks run: the worker's heartbeat and queue processors start in those hooks, before the
      // entry point gets the application back, and a crash from then on is the logger's line.
      provide: CRASH_LINES_LOGGED,
      inject: [Logger],
      useFactory: (logger: Logger) => {
        logCrashesTo(logger);
        return true;
      },
    },
  ],
})
export class LoggingModule {}
