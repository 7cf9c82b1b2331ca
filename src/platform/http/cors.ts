import type { CorsOptions, CorsOptionsDelegate } from '@nestjs/common/interfaces/external/cors-options.interface';
import type { Request } from 'express';
import type { CorsOrigins } from '../config/cors-origins';

/** The methods the API's routes serve; OPTIONS is the preflight itself. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH'];

/** What a client of the API sends beyond the headers a browser allows any page to send. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'Idempotency-Key', 'X-Request-Id'];

/**
 * The answer headers a client reads: the new conversation (Location), when to retry (429, 503,
 * 409-110), the correlation id to quote, the language of user messages, the 401 challenge and
 * the mark of a replayed idempotent answer. A browser hides every other header from the page.
 */
const EXPOSED_HEADERS = ['Location', 'Retry-After', 'X-Request-Id', 'Content-Language', 'WWW-Authenticate', 'Idempotent-Replayed'];

/** How long a browser may reuse a preflight's answer (browsers cap it: Chromium at 2 hours, Firefox at 24). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The CORS answers of the API under `<CONTEXT_PATH>/ws`, for `app.enableCors`. The operator pages
 * (/docs, the queue dashboard), /health and /metrics are read by the operator's browser on their
 * own origin, or by probes and scrapers, which CORS does not concern: they get none.
 *
 * Credentials are not allowed: clients authenticate with Authorization (Bearer, Basic on the
 * token endpoint), which a page sets itself; no cookie is ever read. An OPTIONS that is not a
 * preflight (no Access-Control-Request-Method) goes on to the API like any request.
 */
export function corsOptions(origins: CorsOrigins, contextPath: string): CorsOptionsDelegate<Request> | undefined {
  if (origins === 'none') return undefined;
  const apiPath = `${contextPath}/ws`.toLowerCase();
  const options: CorsOptions = {
    origin: origins === 'any' ? '*' : [...origins],
    methods: METHODS,
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    credentials: false,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  };
  const answeringPreflights: CorsOptions = { ...options, preflightContinue: false, optionsSuccessStatus: 204 };
  const passingOptions: CorsOptions = { ...options, preflightContinue: true };
  return (req, callback) => {
    const path = req.path.toLowerCase();
    // Routing ignores case, so the API is matched as the router matches it.
    const api = path === apiPath || path.startsWith(`${apiPath}/`);
    if (!api) return callback(null, { origin: false });
    callback(null, req.headers['access-control-request-method'] === undefined ? passingOptions : answeringPreflights);
  };
}
