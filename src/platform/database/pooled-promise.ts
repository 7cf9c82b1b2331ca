import type { PoolConnection } from 'mysql2';
import { PoolConnection as PromisePoolConnection } from 'mysql2/promise';

type PromisePoolConnectionClass = new (connection: PoolConnection, promiseImpl?: PromiseConstructor) => PromisePoolConnection;

/**
 * TypeORM wraps its pooled connection in mysql2's promise wrapper for every text query
 * (`connection.promise().query(...)`), and mysql2 3.x's `PoolConnection#promise` requires the
 * wrapper's module inside that call. Node resolves such a require from scratch each time (its
 * cache of relative requires fills only when a parent first loads a module): 4.5–6 µs of CPU
 * per call against 0.3–0.45 µs for this, some twelve calls per start (bench/README.md). This is the
 * same wrapper, its class taken once: mysql2 exports it as `mysql2/promise`'s PoolConnection.
 */
export function promiseOfPooled(this: PoolConnection, promiseImpl?: PromiseConstructor): PromisePoolConnection {
  return new (PromisePoolConnection as unknown as PromisePoolConnectionClass)(this, promiseImpl);
}

/** Given to each connection a pool makes, before its first query (see data-source-options.ts). */
export function wrapWithoutRequire(connection: PoolConnection): void {
  connection.promise = promiseOfPooled;
}
