/**
 * Tells every process (api and workers, on any machine) that cached configuration
 * changed, so a change made in one process is not served stale by another for a whole
 * TTL. Best effort: if a notice is lost, the cache TTL still bounds the staleness.
 */
export abstract class CacheInvalidation {
  /** Announces a change to every process, this one included. */
  abstract publish(scope: string, key?: string): void;
  /** Runs `handler` for each change announced in `scope`; `key` undefined means everything. */
  abstract subscribe(scope: string, handler: (key: string | undefined) => void): void;
}
