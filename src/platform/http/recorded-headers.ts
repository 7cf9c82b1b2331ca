import type { IncomingMessage, ServerResponse } from 'node:http';

type Next = (err?: unknown) => void;
type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

/** The replaying middleware, and the headers it sets, for answers written outside Express. */
export type RecordedHeaders = Middleware & { readonly headers: Readonly<Record<string, string>> };

/**
 * A header middleware whose answer never depends on the request (helmet with fixed
 * policies) is run once, against a recording response, and then replayed: one loop per
 * request instead of a dozen middleware calls that recompute the same strings.
 */
export function recordedHeaders(middleware: Middleware): RecordedHeaders {
  const set = new Map<string, number | string | readonly string[]>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: number | string | readonly string[]) {
      removed.delete(name.toLowerCase());
      set.set(name, value);
      return recorder;
    },
    removeHeader(name: string) {
      for (const key of set.keys()) if (key.toLowerCase() === name.toLowerCase()) set.delete(key);
      removed.add(name.toLowerCase());
    },
    getHeader: () => undefined,
    hasHeader: () => false,
  };
  let completed = false;
  middleware({ headers: {}, method: 'GET', url: '/' } as IncomingMessage, recorder as unknown as ServerResponse, (err) => {
    if (err) throw err;
    completed = true;
  });
  if (!completed) throw new Error('a recorded header middleware must answer synchronously');
  const headers = [...set];
  const removals = [...removed];
  const replay: Middleware = (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of removals) res.removeHeader(name);
    next();
  };
  const fixed = Object.fromEntries(headers.map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]));
  return Object.assign(replay, { headers: fixed });
}
