export { errorText } from '../platform/errors/masked-error-text';

/** A command's log line, one JSON object as the api's and the worker's lines are. */
export function cliLog(level: 'info' | 'error' | 'fatal', msg: string, fields: Record<string, unknown> = {}): void {
  (level !== 'info' ? console.error : console.log)(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
}
