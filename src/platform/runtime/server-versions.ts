import Redis from 'ioredis';
import * as mysql2 from 'mysql2/promise';
import type { AppConfig } from '../config/app-config';
import { databaseEndpoint } from '../database/data-source-options';
import { plainLine } from '../logging/plain-line';

/**
 * What the platform needs of its servers (docs/operations.md, Requirements): the version below
 * which a process refuses to start, and the one below which a feature degrades.
 */
export const REQUIRED = {
  /** FOR UPDATE SKIP LOCKED, the claims of the outbox relay, the assignment and the session purge. */
  mariadb: '10.6',
  /** MySQL's first release with SKIP LOCKED; MySQL itself is untested (MYSQL_WARNING). */
  mysql: '8.0.1',
  /** Bull 4's own minimum. */
  redis: '2.8.18',
  /** PEXPIRETIME, which names the throttle window a hit was counted in (redis-rate-limit-store). */
  redisFull: '7.0',
} as const;

const MYSQL_WARNING =
  'MySQL is untested: the statements are written for MySQL 8.0.1 and later too, but every test and benchmark runs on MariaDB';
const REDIS_DEGRADED = 'no PEXPIRETIME: a start or sendmessage hit counted in Redis is never given back when the request is refused after its count';

export interface VersionFinding {
  level: 'fatal' | 'warn';
  server: 'database' | 'redis';
  /** The version as the server gives it. */
  found: string;
  minimum: string;
  reason: string;
}

/** The numbers of a version string ("10.11.19-MariaDB-0+deb12u1" → [10, 11, 19]); [] when it has none. */
function numbersOf(version: string): number[] {
  return /^\d+(?:\.\d+)*/.exec(version)?.[0].split('.').map(Number) ?? [];
}

/** Whether `version` is `minimum` or later, numbers compared in order, a missing one read as 0. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const given = numbersOf(version);
  const wanted = numbersOf(minimum);
  for (let i = 0; i < Math.max(given.length, wanted.length); i++) {
    const difference = (given[i] ?? 0) - (wanted[i] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** What SELECT VERSION() answered means for the platform; undefined when all is well. */
export function databaseFinding(version: string): VersionFinding | undefined {
  if (/mariadb/i.test(version)) {
    // Some MariaDB releases prefix the version with 5.5.5- for clients that expect a MySQL 5 one.
    const own = version.replace(/^5\.5\.5-/, '');
    return versionAtLeast(own, REQUIRED.mariadb)
      ? undefined
      : { level: 'fatal', server: 'database', found: version, minimum: `MariaDB ${REQUIRED.mariadb}`, reason: 'FOR UPDATE SKIP LOCKED is missing' };
  }
  if (!versionAtLeast(version, REQUIRED.mysql)) {
    return { level: 'fatal', server: 'database', found: version, minimum: `MariaDB ${REQUIRED.mariadb}`, reason: `FOR UPDATE SKIP LOCKED is missing (MySQL before ${REQUIRED.mysql})` };
  }
  return { level: 'warn', server: 'database', found: version, minimum: `MariaDB ${REQUIRED.mariadb}`, reason: MYSQL_WARNING };
}

/** What Redis's INFO server answered means for the platform; undefined when all is well. */
export function redisFinding(info: string): VersionFinding | undefined {
  const version = /^redis_version:(\S+)/m.exec(info)?.[1];
  if (version === undefined) return undefined;
  if (!versionAtLeast(version, REQUIRED.redis)) {
    return { level: 'fatal', server: 'redis', found: version, minimum: `Redis ${REQUIRED.redis}`, reason: "Bull's minimum" };
  }
  if (!versionAtLeast(version, REQUIRED.redisFull)) return { level: 'warn', server: 'redis', found: version, minimum: `Redis ${REQUIRED.redisFull}`, reason: REDIS_DEGRADED };
  return undefined;
}

/** A server the process refuses to run on: the entry points write it as their fatal line. */
export class ServerBelowMinimum extends Error {
  constructor(readonly finding: VersionFinding) {
    super(`${finding.server} server ${finding.found} is below the minimum ${finding.minimum}: ${finding.reason}`);
  }

  /** The fields the fatal line carries beside the message. */
  get fields(): { server: string; found: string; minimum: string } {
    return { server: this.finding.server, found: this.finding.found, minimum: this.finding.minimum };
  }
}

/** The fields of a ServerBelowMinimum for a fatal line; none for any other error. */
export function belowMinimumFields(err: unknown): Record<string, string> {
  return err instanceof ServerBelowMinimum ? err.fields : {};
}

/** Written before the process has a logger: by the writer of its other lines then, to the same stream as its other warnings and failures. */
const warnLine = (f: VersionFinding) =>
  plainLine('warn', 'server version not fully supported', { server: f.server, found: f.found, minimum: f.minimum, reason: f.reason });

/** Writes a warning line for each finding that only degrades; throws ServerBelowMinimum for the first that refuses. */
export function enforce(findings: readonly (VersionFinding | undefined)[], warn: (finding: VersionFinding) => void = warnLine): void {
  const fatal = findings.find((f) => f?.level === 'fatal');
  if (fatal) throw new ServerBelowMinimum(fatal);
  for (const f of findings) if (f) warn(f);
}

/**
 * SELECT VERSION() on a connection of its own, closed at once; undefined when the database
 * cannot be reached: the start-up then fails or waits as it does without this check.
 */
export async function databaseVersion(config: AppConfig): Promise<string | undefined> {
  let connection: mysql2.Connection | undefined;
  try {
    connection = await mysql2.createConnection({
      ...databaseEndpoint(config),
      user: config.DB_USER,
      password: config.DB_PASSWORD,
      connectTimeout: config.DB_CONNECT_TIMEOUT_MS,
    });
    const [rows] = await connection.query<mysql2.RowDataPacket[]>('SELECT VERSION() AS version');
    return String(rows[0].version);
  } catch {
    return undefined;
  } finally {
    connection?.destroy();
  }
}

/** Redis's INFO server on a connection of its own; undefined when Redis cannot be reached (the api then starts degraded, docs/assignment.md). */
export async function redisInfo(config: AppConfig): Promise<string | undefined> {
  const redis = new Redis({
    host: config.REDIS_HOST,
    port: config.REDIS_PORT,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
    commandTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.info('server');
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

/** The api's and the worker's check, before anything else connects: one query to each server, once. */
export async function requireServerVersions(config: AppConfig): Promise<void> {
  const [version, info] = await Promise.all([databaseVersion(config), redisInfo(config)]);
  enforce([version === undefined ? undefined : databaseFinding(version), info === undefined ? undefined : redisFinding(info)]);
}
