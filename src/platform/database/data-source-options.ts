import * as mysql2 from 'mysql2';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from '../../migrations';
import { wrapWithoutRequire } from './pooled-promise';

/**
 * Where the database is: its Unix socket when DB_SOCKET_PATH is set, else DB_HOST:DB_PORT.
 * Over a socket the kernel skips TCP for each round trip: about 5 µs less CPU per round trip
 * on each side, measured with the floor's statements (bench/README.md).
 */
export function databaseEndpoint(config: Pick<AppConfig, 'DB_SOCKET_PATH' | 'DB_HOST' | 'DB_PORT'>): { socketPath: string } | { host: string; port: number } {
  return config.DB_SOCKET_PATH ? { socketPath: config.DB_SOCKET_PATH } : { host: config.DB_HOST, port: config.DB_PORT };
}

/**
 * Times are stored in UTC: NOW(3) writes in the session's time zone and mysql2 reads every
 * DATETIME as UTC (`timezone: 'Z'`), so a server whose time zone is not UTC would shift each
 * time the database writes (a session's expiry, a conversation's creation) by its offset.
 * Each new connection of a pool sets its session's time zone before the pool hands it out:
 * the pool announces it (`connection`) before the first query is queued on it, and a
 * connection runs its queries in order.
 */
export const UTC_SESSION = "SET time_zone = '+00:00'";

const mysqlWithUtcSessions = {
  ...mysql2,
  createPool(options: mysql2.PoolOptions): mysql2.Pool {
    const pool = mysql2.createPool(options);
    pool.on('connection', (connection) => {
      wrapWithoutRequire(connection);
      // A connection that cannot take the setting would read and write times shifted: it is not used.
      connection.query(UTC_SESSION, (err) => err && connection.destroy());
    });
    return pool;
  },
};

/** One definition of the connection, shared by the api, the worker, the migration CLI and tests. */
export function dataSourceOptions(config: AppConfig, overrides: Partial<{ database: string; poolSize: number }> = {}): DataSourceOptions {
  return {
    type: 'mysql',
    driver: mysqlWithUtcSessions,
    ...databaseEndpoint(config),
    username: config.DB_USER,
    password: config.DB_PASSWORD,
    database: overrides.database ?? config.DB_NAME,
    charset: 'utf8mb4_bin',
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    connectTimeout: config.DB_CONNECT_TIMEOUT_MS,
    poolSize: overrides.poolSize ?? config.DB_POOL_SIZE,
    extra: {
      connectionLimit: overrides.poolSize ?? config.DB_POOL_SIZE,
      enableKeepAlive: true,
      maxIdle: overrides.poolSize ?? config.DB_POOL_SIZE,
      // mysql2 otherwise captures a stack trace on every query for the rare failing one (~6% of
      // the api's CPU per start); TypeORM's QueryFailedError still says where a query failed.
      trace: false,
    },
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    synchronize: false,
    logging: false,
  };
}
