/**
 * A line written where a process has no logger: the cluster primary, which never makes one, and
 * an api or worker process before its logger exists or once it can no longer be trusted (a
 * failed start, a stop that fails or overruns, a crash). JSON on stderr, like the processes'
 * lines; `fields` must already be safe to log (errors through errorText or loggableError).
 */
export function stderrLine(level: 'error' | 'fatal', msg: string, fields: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level, msg, ...fields }));
}
