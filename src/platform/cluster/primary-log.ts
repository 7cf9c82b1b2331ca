/** The primary has no logger of its own: its lines are JSON on stderr, like the processes' lines. */
export function primaryLog(level: 'error' | 'fatal', msg: string, fields: Record<string, unknown>): void {
  console.error(JSON.stringify({ level, msg, ...fields }));
}
