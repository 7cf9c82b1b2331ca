import { parse, type ParsedUrlQuery } from 'node:querystring';

/**
 * The query string, read whole. Node's parser (Express's "simple" query parser) keeps the first
 * 1000 parameters and drops the rest without a word, so a parameter after them, or its repetition,
 * went unseen: `entrypoint=1001&…1000 more…&entrypoint=1002` was answered for 1001 instead of
 * refused as repeated. Nothing needs that bound: the request line is itself bounded by the
 * 16 KiB Node allows for the request head, so there are at most a few thousand parameters.
 */
export function parseQueryString(query: string): ParsedUrlQuery {
  return parse(query, '&', '=', { maxKeys: 0 });
}
