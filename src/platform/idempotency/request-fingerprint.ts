import type { Request } from 'express';
import { createHash } from 'node:crypto';

/**
 * The hash that tells a retry from another request under the same Idempotency-Key: method,
 * path, query and parsed body. The path is the one the router read: routing is
 * case-insensitive and ignores a trailing slash (Express's defaults), so `/START` and
 * `/start/` reach the route of `/start`, and a retry spelling it so is the same request. It is
 * the route's path as declared, with the values the router gave its parameters, which keep
 * their case (the handler gets them as sent). A request spelled as declared hashes as it did
 * when the path was taken as sent, so the keys recorded before stay valid.
 */
export function requestFingerprint(req: Pick<Request, 'method' | 'path' | 'query' | 'body' | 'params'> & { route?: { path?: unknown } }): Buffer {
  return createHash('sha256').update(JSON.stringify([req.method, routedPath(req), req.query, req.body ?? null])).digest();
}

function routedPath(req: Pick<Request, 'path' | 'params'> & { route?: { path?: unknown } }): string {
  const declared = req.route?.path;
  if (typeof declared !== 'string') return req.path;
  const params = req.params as Record<string, string | undefined>;
  return declared.replace(/:(\w+)/g, (whole, name: string) => {
    const value = params[name];
    return typeof value === 'string' ? encodeURIComponent(value) : whole;
  });
}
