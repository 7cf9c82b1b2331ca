import { maskedErrorText } from '../platform/errors/masked-error-text';

/** A command's log line, one JSON object as the api's and the worker's lines are. */
export function cliLog(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  (level === 'error' ? console.error : console.log)(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
}

/**
 * An error as a command prints it: its message, with the values MySQL quotes in it masked as the
 * api's logs mask them (a re-keying migration stopped by a duplicate key would name a customer's
 * e-mail address: `Duplicate entry 'ada@example.com' for key …`).
 */
export function errorText(err: unknown): string {
  return maskedErrorText(err instanceof Error ? err.message : String(err));
}
