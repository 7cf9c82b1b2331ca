import { StreamableFile } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Request, Response } from 'express';

/** What Express' `res.json` then `res.send` make the Content-Type of a JSON answer. */
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Nest's Express adapter, answering a route's document as Express' `res.json` would, without its
 * detours: `res.json` sets `application/json`, which `res.set` expands through mime-types, then
 * `res.send` parses and formats it again to add the charset, asks `req.fresh`, and copies a text of
 * 1,000 characters or more into a Buffer. Here the same headers, in the same order, and the same
 * bytes are written directly; any answer `res.send` would treat otherwise goes to Nest's own reply.
 */
export class DirectJsonExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (statusCode) response.status(statusCode);
    if (!answeredAsPlainJson(response, body)) return super.reply(response, body, statusCode);
    const text = JSON.stringify(body) as string | undefined;
    response.setHeader('Content-Type', JSON_TYPE);
    if (text === undefined) return response.end();
    response.setHeader('Content-Length', String(Buffer.byteLength(text, 'utf8')));
    return response.end(text, 'utf8');
  }
}

/**
 * Whether Express would answer `body` as JSON text with nothing but Content-Type and Content-Length
 * added: a document, no type or transfer coding chosen yet, default JSON settings, no ETag, a status
 * with a body, no conditional request (`req.fresh` can only hold with one), and `json` and
 * `send` not replaced on this response.
 */
function answeredAsPlainJson(response: Response, body: unknown): boolean {
  if (body === null || typeof body !== 'object' || body instanceof StreamableFile || body instanceof Error) return false;
  const status = response.statusCode;
  if (status === 204 || status === 205 || status === 304) return false;
  if (response.getHeader('Content-Type') !== undefined || response.getHeader('Transfer-Encoding') !== undefined) return false;
  if (Object.prototype.hasOwnProperty.call(response, 'json') || Object.prototype.hasOwnProperty.call(response, 'send')) return false;
  const req: Request = response.req;
  if (req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined) return false;
  const settings = response.app.settings as Record<string, unknown>;
  return settings['json replacer'] === undefined && settings['json spaces'] === undefined && !settings['json escape'] && typeof settings['etag fn'] !== 'function';
}
