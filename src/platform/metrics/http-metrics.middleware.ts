import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { httpRequestDuration, httpRequests } from './registry';

/** Route label of responses that no route produced: static files, dashboard assets, errors raised before routing. */
export const NO_ROUTE = '(middleware)';
export const UNMATCHED = '(unmatched)';

/**
 * Times every request and labels it by its route template (`/system/ws/v19/.../:id`), never
 * by its raw URL, so the number of series stays bounded. Mounted first so it also sees
 * requests refused by later middleware.
 */
export function httpMetricsMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = routeTemplate(req, res.statusCode);
      const labels = { method: req.method, route, status: String(res.statusCode) };
      httpRequests.inc(labels);
      httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

function routeTemplate(req: Request, status: number): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl ?? ''}${path}`;
  return status === 404 ? UNMATCHED : NO_ROUTE;
}
