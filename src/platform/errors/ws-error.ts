import { AppError } from './app-error';
import { echoed, ECHOED_HEADER_MAX_CHARACTERS } from './echoed-value';
import { ERROR_CATALOGUE, UNAVAILABLE_RETRY_AFTER, type ErrorKind } from './error-catalogue';
import { maskedErrorText } from './masked-error-text';

/** The WSError document every failure is answered with. */
export interface WsErrorBody {
  code: string;
  developerMessage: string;
  userMessage: string;
  details?: string;
}

interface HttpLikeError { status?: number; statusCode?: number; message?: string }

const BY_STATUS: Partial<Record<number, ErrorKind>> = {
  400: 'InvalidRequest',
  401: 'AuthorizationMissing',
  404: 'RouteNotFound',
  405: 'RouteNotFound',
  406: 'UnsupportedAccept',
  413: 'BodyTooLarge',
  415: 'UnsupportedContentType',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
};

/**
 * Driver errors that mean "the database or Redis cannot do this right now": 503, worth a retry.
 * Besides the connection failures and lock wait timeouts, a database that cannot take writes for
 * a while (a table or its disk full, out of memory, its lock table full, read-only during a
 * failover): the request wrote nothing, and the same request succeeds once room is made.
 */
const UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_RECORD_FILE_FULL', 'ER_DISK_FULL', 'ER_OUTOFMEMORY', 'ER_OUT_OF_RESOURCES', 'ER_LOCK_TABLE_FULL', 'ER_OPTION_PREVENTS_STATEMENT', 'ER_READ_ONLY_MODE',
]);

function isUnavailable(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e?.driverError?.code ?? e?.code;
  return (code !== undefined && UNAVAILABLE.has(code)) || /Connection is closed|Pool is closed|connect ETIMEDOUT|Can't add new command when connection is in closed state/.test(e?.message ?? '');
}

/** What the driver said, for the log of a 503 (masked as every logged error): the client's answer names no cause, the operator needs it. */
export function unavailableCause(error: unknown): { code?: string; message?: string } | undefined {
  if (error instanceof AppError || !isUnavailable(error)) return undefined;
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  return { code: e.driverError?.code ?? e.code, message: e.message === undefined ? undefined : maskedErrorText(e.message) };
}

/**
 * Any thrown value becomes an AppError: typed errors pass through; errors from the HTTP stack
 * (Nest's own exceptions, the router, the throttler) are mapped by their status; everything else
 * is an internal error whose message never reaches the client. The body is read by read-body.ts,
 * which raises typed errors: the `body-parser` package, which Express still carries, runs only
 * inside the queue dashboard, whose own error handler answers what it throws.
 */
export function toAppError(error: unknown): { error: AppError; internal: boolean } {
  if (error instanceof AppError) return { error, internal: false };
  if (isUnavailable(error)) {
    return { error: new AppError('ServiceUnavailable', 'a backing service (database or queue) is unreachable', undefined, {}, UNAVAILABLE_RETRY_AFTER), internal: false };
  }
  const e = (error ?? {}) as HttpLikeError & { getStatus?: () => number };
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR) and the brotli decoder's (Node names them
  // ERR_ + BrotliDecoderErrorCode, e.g. ERR__ERROR_FORMAT_PADDING_2): a body that its
  // Content-Encoding (gzip, deflate, br) cannot decode.
  if (typeof (error as { code?: unknown })?.code === 'string' && /^(?:Z_|ERR__ERROR_)/.test((error as { code: string }).code)) {
    return { error: new AppError('BodyMalformed', `request body could not be decoded by its Content-Encoding: ${e.message}`), internal: false };
  }
  const status = typeof e.getStatus === 'function' ? e.getStatus() : (e.status ?? e.statusCode);
  if (typeof status === 'number' && status < 500) {
    const kind = BY_STATUS[status] ?? 'InvalidRequest';
    // The router's "Failed to decode param": a path segment that is not percent-encoded UTF-8.
    const where = /decode param/i.test(e.message ?? '') ? 'URL' : undefined;
    // A 429 from the HTTP stack says nothing of its window: the client waits as for a 503.
    return { error: new AppError(kind, e.message === undefined ? kind : httpLayerMessage(e.message), where, {}, kind === 'TooManyRequests' ? UNAVAILABLE_RETRY_AFTER : {}), internal: false };
  }
  if (status === 503) return { error: new AppError('ServiceUnavailable', e.message ?? 'service unavailable', undefined, {}, UNAVAILABLE_RETRY_AFTER), internal: false };
  return { error: new AppError('InternalError', 'internal error'), internal: true };
}

/**
 * The HTTP stack's messages repeat the request: Nest's `Cannot GET <url>` the whole URL, its
 * query string too (where a caller may have put a token or a secret), the router's `Failed to
 * decode param '<segment>'` the segment. Each is bounded only by the header limit (16 KiB): the
 * path is cut as an echoed header is (a real path is under 256 characters), the segment as an
 * echoed value, and the query string is left out.
 */
function httpLayerMessage(message: string): string {
  const route = /^Cannot (\S+) ([^?]*)/s.exec(message);
  if (route) return `Cannot ${route[1]} ${echoed(route[2], ECHOED_HEADER_MAX_CHARACTERS)}`;
  const segment = /^Failed to decode param '(.*)'$/s.exec(message);
  if (segment) return `Failed to decode param '${echoed(segment[1])}'`;
  return message;
}

export function statusOf(kind: ErrorKind): number {
  return ERROR_CATALOGUE[kind].status;
}

export function codeOf(kind: ErrorKind): string {
  return ERROR_CATALOGUE[kind].code;
}
