import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { arrivalOf } from '../http/arrival';
import { isMiddlewareRoute, type ExpressRoute } from '../http/middleware-route';
import { httpRequestDuration, httpRequests } from './registry';

/** Route label of responses that no route produced: static files, dashboard assets, errors raised before routing. */
export const NO_ROUTE = '(middleware)';
export const UNMATCHED = '(unmatched)';
/** Route label of the answers the HTTP server writes before Express sees the request (answerUnreadableRequests). */
export const BEFORE_EXPRESS = '(server)';

/**
 * Times every request and labels it by its route template (`/system/ws/v19/.../:id`), never
 * by its raw URL, so the number of series stays bounded. Mounted first so it also sees
 * requests refused by later middleware. A request is timed from its arrival (arrival.ts), the
 * time it waited its turn behind others pipelined on its connection included: that is how long
 * its client waited for the answer.
 */
export function httpMetricsMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = arrivalOf(req);
    res.once('finish', () => recordAnswer(req.method, routeTemplate(req, res.statusCode), res.statusCode, started));
    next();
  };
}

/**
 * Counts an answer written before Express, once it is sent, under the route label
 * `BEFORE_EXPRESS`: no route was looked up. Its method is one Node's parser knows, or the fixed
 * label the caller gives a request it could not read.
 */
export function countAnswerBeforeExpress(req: IncomingMessage, res: ServerResponse): void {
  const started = arrivalOf(req);
  res.once('finish', () => recordAnswer(req.method ?? '', BEFORE_EXPRESS, res.statusCode, started));
}

function recordAnswer(method: string, route: string, status: number, started: bigint): void {
  const labels = { method, route, status: String(status) };
  httpRequests.inc(labels);
  httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * A request no endpoint took (a 404, a 406 from negotiation, a body refused before routing)
 * still has in `req.route` the route Nest mounts its middleware on (`/system{/*splat}`),
 * which is no endpoint's template.
 */
function routeTemplate(req: Request, status: number): string {
  const route = req.route as ExpressRoute | undefined;
  if (route && typeof route.path === 'string' && !isMiddlewareRoute(route)) return `${req.baseUrl ?? ''}${route.path}`;
  return status === 404 ? UNMATCHED : NO_ROUTE;
}
