import * as mysql2 from 'mysql2';
import type { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { promiseOfPooled } from './pooled-promise';

/** A pooled connection that never connects: the wrappers are compared, no query is sent. */
function pooledConnection(): mysql2.PoolConnection {
  return Object.assign(Object.create(mysql2.PoolConnection.prototype) as mysql2.PoolConnection, {
    config: { trace: false },
    query: jest.fn((_sql: string, params: unknown, done: (err: null, rows: unknown[], fields: unknown[]) => void) => done(null, [{ one: 1, params }], [])),
  });
}

describe('promiseOfPooled', () => {
  it("makes mysql2's own wrapper: same class, connection and promise implementation, queries passed through", async () => {
    const connection = pooledConnection();
    const theirs = connection.promise() as unknown as { constructor: unknown; connection: unknown; Promise: unknown };
    const ours = promiseOfPooled.call(connection) as unknown as typeof theirs;
    expect(ours.constructor).toBe(theirs.constructor);
    expect(ours.connection).toBe(connection);
    expect(ours.Promise).toBe(Promise);
    class OtherPromise<T> extends Promise<T> {}
    expect((promiseOfPooled.call(connection, OtherPromise) as unknown as typeof theirs).Promise).toBe(OtherPromise);
    await expect(promiseOfPooled.call(connection).query('SELECT ? AS one', [1])).resolves.toEqual([[{ one: 1, params: [1] }], []]);
  });

  it('is what each connection of the configured pool wraps itself with, set before its first query', () => {
    const config = { DB_HOST: '127.0.0.1', DB_PORT: 1, DB_POOL_SIZE: 1, DB_CONNECT_TIMEOUT_MS: 100 } as unknown as AppConfig;
    const driver = dataSourceOptions(config).driver as typeof mysql2;
    // No connection is opened until one is asked for: the pool's announcement is played by hand.
    const pool = driver.createPool({ host: '127.0.0.1', port: 1 });
    const connection = pooledConnection();
    let wrapAtFirstQuery: unknown;
    (connection.query as unknown as jest.Mock).mockImplementationOnce(() => (wrapAtFirstQuery = connection.promise));
    pool.emit('connection', connection);
    expect(wrapAtFirstQuery).toBe(promiseOfPooled);
    expect(mysql2.PoolConnection.prototype.promise).not.toBe(promiseOfPooled);
  });
});
