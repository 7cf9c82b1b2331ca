/**
 * The one writer of a line written where a process has no logger: a command (migrations,
 * resealing the secrets), the cluster primary, which never makes one, and an api or worker process
 * before its logger exists or once it can no longer be trusted (the server versions' warning, a
 * failed start, a stop that fails or overruns, a crash). One JSON object with `level`, `time` and
 * `msg`, as the processes' lines; `info` on stdout, anything louder on stderr, so that a line
 * saying something went wrong is found in the same stream whichever process or step wrote it.
 * `fields` must already be safe to log (errors through errorText or loggableError).
 */
export function plainLine(level: 'info' | 'warn' | 'error' | 'fatal', msg: string, fields: Record<string, unknown> = {}): void {
  (level === 'info' ? console.log : console.error)(JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields }));
}
