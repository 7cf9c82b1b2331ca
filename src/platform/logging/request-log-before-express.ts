import type { IncomingMessage, ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { type HttpLogger, pinoHttp } from 'pino-http';

/**
 * The request line of an answer written before Express, where pino-http's middleware does not
 * run. It is pino-http's own middleware, built on the logger the api's one logs through, whose
 * serializers and mixin give every request line its fields: the line is written as every other
 * one. No async context holds a correlation id there, so the request's id (`req.id`, set by the
 * caller as the answer's `X-Request-Id`) is given as one. Nothing is written above `info`, where
 * there are no request lines (logging.module.ts).
 *
 * A request Node could not parse is logged with no method or path: the code of the error Node
 * refused it with (`clientError`, HPE_INVALID_HEADER_TOKEN say) is what tells an operator why.
 */
export function requestLogBeforeExpress(): (req: IncomingMessage, res: ServerResponse, clientError?: string) => void {
  let log: HttpLogger | undefined;
  // pino-http asks for a request's own fields (customProps) with the request alone, when it starts and when it ends.
  const clientErrors = new WeakMap<IncomingMessage, string>();
  const fieldsOf = (req: IncomingMessage) => {
    const clientError = clientErrors.get(req);
    return clientError === undefined ? { correlationId: req.id } : { correlationId: req.id, clientError };
  };
  return (req, res, clientError) => {
    // Set when the application starts listening (LoggerModule.configure), before any request.
    const root = PinoLogger.root as PinoLogger['logger'] | undefined;
    if (root === undefined || !root.isLevelEnabled('info')) return;
    log ??= pinoHttp({ logger: root, wrapSerializers: false, customProps: fieldsOf });
    if (clientError !== undefined) clientErrors.set(req, clientError);
    log(req, res);
  };
}
