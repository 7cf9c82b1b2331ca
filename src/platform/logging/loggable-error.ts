import { maskedErrorStack, maskedErrorText } from '../errors/masked-error-text';

/**
 * What a log line keeps of an error (the `err` field of every line, logging.module.ts).
 *
 * A failed statement carries the customer's data three ways: TypeORM's QueryFailedError keeps the
 * statement's `parameters` (e-mail addresses, names, message texts), the driver's error keeps the
 * statement with its values written in (`sql`, and the same again under `driverError`), and
 * MySQL's message quotes the value it refused (`Duplicate entry 'ada@example.com' for key …`,
 * `Incorrect string value: '…' for column …`, `… near '…' at line 1`). So an error is logged by
 * an allow-list of fields, the values quoted in its message (and in the head of its stack, which
 * repeats the message) masked, and a message logged as text is masked the same way.
 */
export interface LoggableError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  errno?: number;
  sqlState?: string;
  /** The statement as written, with its placeholders: which one failed, never with what. */
  query?: string;
  cause?: LoggableError | string;
}

const MAX_CAUSES = 3;

type ErrorLike = { type?: unknown; name?: unknown; message: string; stack?: string; code?: unknown; errno?: unknown; sqlState?: unknown; query?: unknown; cause?: unknown; driverError?: { code?: unknown; errno?: unknown; sqlState?: unknown } };

/**
 * The pino serializer of `err`: an error by the allow-list above, a message (text) masked, anything
 * else as it is. pino-http hands it what pino's standard serializer made of an Error (a plain
 * object with `type`, `message`, `stack` and every other field of the error), Nest's loggers
 * the Error itself: both are read the same way.
 */
export function loggableError(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskedErrorText(value);
  if (!isErrorLike(value)) return value;
  const e = value;
  const message = maskedErrorText(e.message);
  const code = e.code ?? e.driverError?.code;
  const errno = e.errno ?? e.driverError?.errno;
  const sqlState = e.sqlState ?? e.driverError?.sqlState;
  const cause = e.cause === undefined || depth >= MAX_CAUSES ? undefined : loggableError(e.cause, depth + 1);
  return {
    type: typeof e.type === 'string' ? e.type : value instanceof Error ? value.constructor.name : String(e.name ?? 'Error'),
    message,
    ...(typeof e.stack === 'string' ? { stack: maskedErrorStack(e.stack, e.message) } : {}),
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(typeof errno === 'number' ? { errno } : {}),
    ...(typeof sqlState === 'string' ? { sqlState } : {}),
    ...(typeof e.query === 'string' ? { query: e.query } : {}),
    ...(typeof cause === 'string' || (typeof cause === 'object' && cause !== null) ? { cause: cause as LoggableError | string } : {}),
  };
}

function isErrorLike(value: unknown): value is ErrorLike {
  return value instanceof Error || (typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' && typeof (value as { type?: unknown }).type === 'string');
}
