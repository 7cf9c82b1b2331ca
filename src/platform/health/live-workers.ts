/**
 * The assignment workers alive: those whose heartbeat row (`worker_heartbeat`, refreshed by
 * each worker every WORKER_HEARTBEAT_INTERVAL_MS) is at most WORKER_HEARTBEAT_TTL_MS old, by
 * the database's clock. One rule for the start's "assignment service not running" check,
 * readiness and the `assignment_workers_live` gauge, so that none of them counts a worker the
 * others do not.
 */
export function liveWorkersQuery(ttlMs: number): [sql: string, params: unknown[]] {
  return ['SELECT COUNT(*) AS n FROM worker_heartbeat WHERE seen_at >= NOW(3) - INTERVAL ? MICROSECOND', [ttlMs * 1000]];
}
