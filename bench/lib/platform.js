'use strict';
// The pieces of the platform the benchmark runs against: its own databases on the local
// MariaDB, its own Redis prefix, and the real built api and worker processes.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { createServer } = require('node:net');
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist', 'src');
const LOOPBACK = '127.0.0.1';

function requireDist(relative) {
  try {
    return require(join(DIST, relative));
  } catch (err) {
    if (err.code === 'MODULE_NOT_FOUND') throw new Error(`dist/src/${relative} not found: run \`npm run build\` first`);
    throw err;
  }
}

/** Everything the bench talks to is on this machine: hosts are forced to 127.0.0.1. */
function baseEnv(name) {
  return {
    NODE_ENV: 'production',
    DB_HOST: LOOPBACK,
    DB_PORT: process.env.DB_PORT || '3306',
    DB_USER: process.env.DB_USER || 'root',
    DB_PASSWORD: process.env.DB_PASSWORD || '',
    DB_NAME: name,
    REDIS_HOST: LOOPBACK,
    REDIS_PORT: process.env.REDIS_PORT || '6379',
    REDIS_PREFIX: `bench:${name}`,
    HTTP_HOST: LOOPBACK,
    // Request logging is the single largest avoidable per-request cost; production runs at warn.
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    // "Starts only" runs pause the worker for a timed point; the api must not take it for dead
    // meanwhile (it refuses starts with 400-140 when no worker has sent a heartbeat within the TTL).
    WORKER_HEARTBEAT_TTL_MS: '120000',
    ...passThrough(),
  };
}

/** Tuning settings taken from the bench's own environment, for experiments (`DB_POOL_SIZE=10 npm run bench`). */
function passThrough() {
  const keys = ['DB_SOCKET_PATH', 'DB_POOL_SIZE', 'ASSIGNMENT_CONCURRENCY', 'CONFIG_CACHE_TTL_MS', 'SESSION_CACHE_TTL_MS', 'OUTBOX_POLL_INTERVAL_MS'];
  return Object.fromEntries(keys.filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
}

function appConfig(env) {
  require('reflect-metadata');
  const { validateEnv } = requireDist('platform/config/app-config.js');
  return validateEnv(env);
}

/** Creates, migrates and demo-seeds a database of its own; agents get room for every chat of the run. */
async function createDatabase(name, env, { seed = true } = {}) {
  const { DataSource } = require('typeorm');
  const { dataSourceOptions } = requireDist('platform/database/data-source-options.js');
  const { seedDemo } = requireDist('cli/demo-seed.js');
  const config = appConfig(env);
  const admin = new DataSource({ ...dataSourceOptions(config, { poolSize: 1 }), database: undefined });
  await admin.initialize();
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.destroy();
  const db = await new DataSource(dataSourceOptions(config, { database: name, poolSize: 4 })).initialize();
  await db.runMigrations();
  if (seed) {
    const credentials = await seedDemo(db);
    // The "agent available" precondition must hold for the whole run.
    await db.query('UPDATE agent SET max_chats = 1000000');
    return { db, credentials };
  }
  return { db };
}

async function dropDatabase(db, name) {
  try {
    if (db.isInitialized) {
      await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await db.destroy();
    }
  } catch (err) {
    console.error(`could not drop ${name}: ${err.message}`);
  }
}

async function deleteRedisPrefix(prefix) {
  const Redis = require('ioredis');
  const redis = new Redis({ host: LOOPBACK, port: Number(process.env.REDIS_PORT || 6379), lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch (err) {
    console.error(`could not clean redis prefix ${prefix}: ${err.message}`);
  } finally {
    redis.disconnect();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = new Set();

function spawnNode(script, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, resolve(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH || '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  const collect = (chunk) => {
    for (const line of chunk.toString().split('\n')) if (line) output.push(line);
    if (output.length > 400) output.splice(0, output.length - 200);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const proc = { child, output, pid: child.pid, script };
  children.add(proc);
  child.once('exit', () => children.delete(proc));
  return proc;
}

async function waitFor(fn, timeoutMs, what) {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function exitedError(proc) {
  return new Error(`${proc.script} exited (${proc.child.exitCode}):\n${proc.output.slice(-20).join('\n')}`);
}

/** Starts a worker with its health port (metrics) on a free port of its own; waits for its first heartbeat and its metrics. */
async function startWorker(env, db, nodeArgs = [], script = 'dist/src/worker.js') {
  const port = await freePort();
  const worker = spawnNode(script, { ...env, WORKER_HEALTH_PORT: String(port) }, nodeArgs);
  worker.metricsUrl = `http://${LOOPBACK}:${port}/metrics`;
  await waitFor(async () => {
    if (worker.child.exitCode !== null) throw exitedError(worker);
    const rows = await db.query('SELECT 1 FROM worker_heartbeat WHERE pid = ?', [worker.pid]);
    return rows.length > 0;
  }, 30000, 'worker heartbeat');
  // The health port opens when the worker's modules have started, which may be after the first heartbeat.
  await waitFor(() => fetch(worker.metricsUrl).then((r) => r.ok, () => false), 30000, 'worker metrics');
  return worker;
}

/** Starts the built api (API_PROCESSES from `extra`) and waits until it answers HTTP. */
async function startApi(env, extra = {}, nodeArgs = [], script = 'dist/src/main.js') {
  const port = await freePort();
  const api = spawnNode(script, { ...env, HTTP_PORT: String(port), ...extra }, nodeArgs);
  api.baseUrl = `http://${LOOPBACK}:${port}`;
  const processes = Number(extra.API_PROCESSES || env.API_PROCESSES || 1);
  await waitFor(async () => {
    if (api.child.exitCode !== null) throw exitedError(api);
    return fetch(`${api.baseUrl}/`).then(() => true, () => false);
  }, 60000, 'api to listen');
  // In cluster mode the first process answering says nothing of the others: wait until all were forked;
  // the warm-up load that follows every start covers the rest of their boot.
  if (processes > 1) await waitFor(async () => childPids(api.pid).length >= processes, 30000, 'api processes');
  return api;
}

async function stopProcess(proc, signal = 'SIGTERM') {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill(signal);
  proc.child.kill('SIGCONT'); // a process paused by the bench acts on the signal only once it runs again
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 15000);
  await exited;
  clearTimeout(timer);
}

async function stopAll() {
  await Promise.all([...children].map((p) => stopProcess(p)));
}

/** Resident set size of a process in MiB, from /proc (Linux). */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) / 1024;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by a process and, in cluster mode, its children. */
function cpuSeconds(pid) {
  let ticks = 0;
  for (const p of [pid, ...childPids(pid)]) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * The local MariaDB/MySQL and Redis server processes (found by name under /proc), so the
 * bench can say what each start costs them too; undefined when not running here.
 */
function servicePids() {
  const byName = {};
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      byName[name] ??= Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return { db: byName.mariadbd ?? byName.mysqld, redis: byName['redis-server'] };
}

function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The machine's CPU ticks so far, busy and in all, across every core (`/proc/stat`). */
function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0); // idle and iowait
  const total = fields.reduce((sum, x) => sum + x, 0);
  return { busy: total - idle, total };
}

/** Share of the machine's CPU time that was busy between two `machineTicks()` readings, in percent. */
function machineBusyPercent(before, after) {
  const total = after.total - before.total;
  return total > 0 ? (100 * (after.busy - before.busy)) / total : NaN;
}

function newName(tag) {
  return `bench_${tag}_${process.pid}_${randomBytes(3).toString('hex')}`;
}

module.exports = {
  ROOT, LOOPBACK, baseEnv, appConfig, createDatabase, dropDatabase, deleteRedisPrefix, startApi, startWorker,
  stopProcess, stopAll, rssMiB, cpuSeconds, machineTicks, machineBusyPercent, childPids, servicePids, newName, waitFor, spawnNode, requireDist,
};
