import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors/app-error';
import { echoedHeader } from '../errors/echoed-value';
import { Localizer } from '../i18n/localizer';
import { METRICS_PATH } from '../health/health.paths';
import { setRequestContext, type RequestContext } from './wire-format';
import { chooseAnswerType } from './accept';
import { withoutTrailing } from '../text/text-ends';

/**
 * Paths whose answer has one format whatever Accept says: the Prometheus text of `/metrics`,
 * which scrapers ask for as `text/plain` or `application/openmetrics-text`. Nothing is
 * negotiated there, so nothing is refused; an error is still a JSON WSError.
 */
const FIXED_FORMAT_PATHS: ReadonlySet<string> = new Set([`/${METRICS_PATH}`]);

/**
 * Whether `path` (as `pathOf` gives it) is one of FIXED_FORMAT_PATHS. The router matches paths in
 * any case (Express's default), so `/METRICS` is served the Prometheus text too: compared as
 * sent, it was negotiated, and a scrape asking for `text/plain` was refused 406-102.
 */
function isFixedFormatPath(path: string): boolean {
  return FIXED_FORMAT_PATHS.has(path.toLowerCase());
}

/**
 * Decides, before anything else runs, the response format (Accept) and the language
 * of user messages (Accept-Language), so that every later error can be rendered as asked.
 */
@Injectable()
export class NegotiationMiddleware implements NestMiddleware {
  constructor(private readonly localizer: Localizer) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const { context, accepted, language } = negotiate(req, this.localizer);
    setRequestContext(req, context);
    setNegotiatedHeaders(req, res, context.language);
    if (isFixedFormatPath(pathOf(req))) return next();
    if (!accepted) return next(new AppError('UnsupportedAccept', `Accept ${echoedHeader(req.headers.accept)} is malformed or names no supported format (application/json, application/xml, text/xml)`, 'Accept'));
    if (language === undefined) {
      return next(new AppError('InvalidAcceptLanguage', `Accept-Language ${echoedHeader(req.headers['accept-language'])} is malformed or names no supported language (${this.localizer.supportedLanguages().join(', ')})`, 'Accept-Language'));
    }
    next();
  }
}

/**
 * What every answer says of its negotiation: set by the middleware above, by the error renderer
 * for a request refused before it ran, and written out with the answers to requests Node
 * cannot read (`path` unknown there: answered as any path of the API).
 */
export function negotiatedHeaders(language: string, path?: string): Record<string, string> {
  return {
    // Every answer names the language it was negotiated in, successes as well as errors.
    'Content-Language': language,
    // Answers hold tokens, customer details and conversation states that change: no cache
    // (browser, proxy) may keep one.
    'Cache-Control': 'no-store',
    // Every answer but the fixed-format ones is chosen by these two headers (RFC 9110, 12.5.5).
    ...(path !== undefined && isFixedFormatPath(path) ? {} : { Vary: 'Accept, Accept-Language' }),
  };
}

export function setNegotiatedHeaders(req: Request, res: Response, language: string): void {
  for (const [name, value] of Object.entries(negotiatedHeaders(language, pathOf(req)))) {
    // Added to, never replaced: CORS has put Origin there already when it echoed the origin
    // (cors.ts), and an error rendered after this middleware ran sets the same values again.
    if (name === 'Vary') res.vary(value);
    else res.setHeader(name, value);
  }
}

/**
 * The format and language of a request's answers, from its Accept and Accept-Language (JSON
 * and the default language where they name nothing supported). The middleware above decides
 * them for every request; an error raised before it ran (the router refusing a path that is
 * not percent-encoded UTF-8) is rendered with them too.
 */
export function negotiate(req: Pick<IncomingMessage, 'headers' | 'url'> & { originalUrl?: string }, localizer: Localizer): { context: RequestContext; accepted: boolean; language: string | undefined } {
  if (isFixedFormatPath(pathOf(req))) {
    return { context: { format: 'json', language: localizer.defaultLanguage }, accepted: true, language: localizer.defaultLanguage };
  }
  const accept = header(req.headers.accept);
  const accepted = accept === undefined || namesNothing(accept) ? 'application/json' : chooseAnswerType(accept);
  const language = localizer.negotiate(header(req.headers['accept-language']));
  const format = accepted === undefined || accepted === 'application/json' ? 'json' : 'xml';
  return { context: { format, answerType: accepted ?? 'application/json', language: language ?? localizer.defaultLanguage }, accepted: accepted !== undefined, language };
}

/** The path as the client sent it (the middleware may be mounted under a prefix), without query or trailing slash. */
export function pathOf(req: { url?: string; originalUrl?: string }): string {
  const path = (req.originalUrl ?? req.url ?? '/').split('?')[0];
  return path.length > 1 ? withoutTrailing(path, '/') : path;
}

/**
 * An Accept that is absent, or present with no range in it (`Accept:` as some clients and
 * proxies send it, or only empty list elements), asks for nothing in particular, as
 * Accept-Language does when empty: JSON, rather than 406 for a list that refuses nothing.
 */
function namesNothing(accept: string): boolean {
  return /^[\s,]*$/.test(accept);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
