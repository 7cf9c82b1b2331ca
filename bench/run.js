#!/usr/bin/env node
'use strict';
// `npm run bench` — see bench/README.md. Needs `npm run build` first, MariaDB and Redis on 127.0.0.1.
const { execSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { dirname, join, resolve } = require('node:path');
const P = require('./lib/platform');
const { runFloor } = require('./lib/floor');
const { login, lastModified, workload, drive, pace } = require('./lib/load');
const { activityWatermark, dbNow, validateRun, assignmentFigures, handOverSplit } = require('./lib/checks');
const { render, isTargetRun } = require('./lib/report');
const { Budget } = require('./lib/budget');

const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const option = (name, fallback) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};

const QUICK = flag('quick');
const DURATION = Number(option('duration', QUICK ? 2 : 8));
const WARMUP_STARTS = QUICK ? 150 : 1500;
const SECTIONS = new Set(option('sections', '1,2,3,4,5').split(',').map(Number));
const MEMORY_POINTS = QUICK ? [500, 1500] : [10000, 50000];
const MEMORY_CHUNK = QUICK ? 500 : 5000;
// The whole run's seconds, shared among the sections up front: a slow machine shortens each of them.
const budget = new Budget({ budgetSeconds: Number(option('budget', QUICK ? 120 : 520)), sections: SECTIONS, quick: QUICK });
// What a memory point's reading takes after its last chunk: a second's wait, then the two full GCs two seconds apart.
const MEMORY_READING_MS = 5000;
const FLOOR_WORKERS = [8, 32, 64];
const ASSIGNMENT_ROUNDS = Number(option('assignment-rounds', QUICK ? 1 : 2));
const FLOOR_MAX_POOL = 32; // the MariaDB is shared: never hold more than this many connections for the floor
// The machine's speed moves from one minute to the next: the runs the targets are about are
// compared with a floor@32 measured just before each of them, not only with section 1's.
const FLOOR_BESIDE_SECONDS = QUICK ? 2 : 4;
const OUT = resolve(option('out', join(__dirname, QUICK ? 'tmp/results-quick.md' : 'results.md')));
const ASSIGN_TIMEOUT_MS = Number(option('assign-timeout', 120)) * 1000;

const results = { meta: {}, floor: [], httpFloor: undefined, api: [], assignment: [], memory: [], processes: [], validation: [], budget };
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

async function main() {
  const name = P.newName('api');
  const floorName = P.newName('floor');
  const env = P.baseEnv(name);
  const config = P.appConfig(env);
  const cleanups = [];
  const cleanup = async () => {
    await P.stopAll();
    for (const fn of cleanups.reverse()) await fn();
  };
  process.once('SIGINT', () => cleanup().finally(() => process.exit(130)));

  try {
    log(`databases ${name} (api) and ${floorName} (floor)`);
    const { db, credentials } = await P.createDatabase(name, env);
    cleanups.push(() => P.dropDatabase(db, name), () => P.deleteRedisPrefix(env.REDIS_PREFIX));
    const floorDb = SECTIONS.has(1) ? (await P.createDatabase(floorName, env)).db : undefined;
    let besideRuns = 0;
    let floorBeside = async () => undefined;
    if (floorDb) cleanups.push(() => P.dropDatabase(floorDb, floorName));
    await describeRun(db, config);

    if (SECTIONS.has(1)) {
      const app = String((await floorDb.query("SELECT id FROM client_application WHERE type = 'chat' LIMIT 1"))[0].id);
      floorBeside = async () => {
        const f = await runFloor({ config, database: floorName, workers: 32, poolSize: 32, durationMs: FLOOR_BESIDE_SECONDS * 1000, clientApplicationId: app, tag: `${name}_beside_${besideRuns++}` });
        log(`floor@32 beside the next run: ${Math.round(f.rps)} starts/s`);
        return f.rps;
      };
      for (const workers of FLOOR_WORKERS) {
        if (!budget.allows(1, DURATION * 1000, `S1 floor, ${workers} workers`)) continue;
        const dbPid = P.servicePids().db;
        const dbBefore = dbPid ? P.cpuSeconds(dbPid) : NaN;
        const f = await runFloor({ config, database: floorName, workers, poolSize: Math.min(workers, FLOOR_MAX_POOL), durationMs: DURATION * 1000, clientApplicationId: app, tag: name });
        f.dbCpuMs = dbPid ? ((P.cpuSeconds(dbPid) - dbBefore) * 1000) / Math.max(1, f.ok) : NaN;
        log(`floor ${workers} workers: ${Math.round(f.rps)} starts/s p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} cpu ${f.cpuMs.toFixed(2)} ms/start errors ${f.errors}${f.firstError ? ` (${f.firstError})` : ''}`);
        results.floor.push(f);
      }
      if (budget.allows(1, (FLOOR_BESIDE_SECONDS + DURATION) * 1000, 'S1 floor behind bare HTTP')) results.httpFloor = await runHttpFloor(env, floorName, app, floorBeside);
    }

    const worker = await P.startWorker(env, db);
    let api;
    const ctx = { db, credentials, tag: name, worker };

    // Section 3 alone still runs section 2's target point, for its rate, and then on its own time.
    const s2 = SECTIONS.has(2) ? 2 : 3;
    if ((SECTIONS.has(2) || SECTIONS.has(3)) && budget.allows(s2, 0, `S${s2}, the whole section`)) {
      api = await bootApi(env, ctx, {});
      const points = [
        { kind: 'identified-json', conns: 8 }, { kind: 'identified-json', conns: 32 }, { kind: 'identified-json', conns: 32, startsOnly: true },
        { kind: 'identified-json', conns: 64 }, { kind: 'anonymous-json', conns: 32 }, { kind: 'identified-xml', conns: 32 },
      ];
      for (const { kind, conns, startsOnly = false } of points) {
        // Section 3 alone still needs the rate of the run the targets are about.
        if (!SECTIONS.has(2) && !isTargetRun({ workload: kind, connections: conns, startsOnly }, false)) continue;
        const target = isTargetRun({ workload: kind, connections: conns, startsOnly }, startsOnly);
        const label = `S2 ${kind}@${conns}${startsOnly ? ' starts only' : ''}`;
        if (!budget.allows(s2, (DURATION + (target ? FLOOR_BESIDE_SECONDS : 0)) * 1000, label)) continue;
        const floorRps = target ? await floorBeside() : undefined;
        const r = await measured(ctx, api, kind, { connections: conns, duration: DURATION, startsOnly }, label);
        results.api.push({ workload: kind, startsOnly, floorBeside: floorRps, ...r });
      }
    }

    const max = results.api.find((r) => isTargetRun(r, false))?.rps;
    if (SECTIONS.has(3) && max === undefined) budget.leaveOut(3, 'S3 assignment: its rate is half that of S2 identified-json@32, which was left out');
    if (SECTIONS.has(3) && max !== undefined) {
      // The rate the machine sustains with assignment running beside the starts: half of the starts-only
      // rate would be more than these 2 cores can start and assign at once.
      const offered = Math.max(10, Math.round(max / 2));
      const Redis = require('ioredis');
      const redis = new Redis({ host: P.LOOPBACK, port: Number(config.REDIS_PORT), maxRetriesPerRequest: 1 });
      const { ASSIGNMENT_QUEUE, assignJobId } = P.requireDist('platform/queue/queues.js');
      const jobKey = (activityId) => `${env.REDIS_PREFIX}:${ASSIGNMENT_QUEUE}:${assignJobId(activityId)}`;
      cleanups.push(() => redis.quit().catch(() => undefined));
      // One 8 s window on this machine can land on a slow stretch for one worker count and not the
      // other: the counts alternate over the rounds (1, 2, then 2, 1) and the targets judge the
      // latencies of all rounds of a count together.
      const order = Array.from({ length: ASSIGNMENT_ROUNDS }, (_, i) => (i % 2 ? [2, 1] : [1, 2]).map((workers) => ({ round: i + 1, workers }))).flat();
      for (const { round, workers } of order) {
        if (!budget.allows(3, DURATION * 1000, `S3 assignment, ${workers} worker(s), round ${round}`)) continue;
        const extra = workers === 2 ? await P.startWorker(env, db) : undefined;
        ctx.extraWorkers = extra ? [extra] : [];
        const mark = await activityWatermark(db);
        const from = await dbNow(db);
        const workerPids = [ctx.worker, ...ctx.extraWorkers].map((w) => w.pid);
        const workerCpu = () => workerPids.reduce((sum, pid) => sum + P.cpuSeconds(pid), 0);
        const cpuBefore = workerCpu();
        const r = await measured(ctx, api, 'identified-json', { rate: offered, duration: DURATION }, `S3 assignment, ${workers} worker(s), round ${round}`, mark);
        const figures = await assignmentFigures(db, mark, from, r.loadEnd);
        const split = await handOverSplit(db, redis, jobKey, mark);
        const workerCpuMs = ((workerCpu() - cpuBefore) * 1000) / Math.max(1, figures.count);
        results.assignment.push({ round, workers, offered, drainMs: r.drainMs, workerCpuMs, batchMean: r.batchMean, machineBusy: r.machineBusy, split, ...figures });
        log(`assignment ${workers} worker(s), round ${round}: ${Math.round(figures.assignedPerSecond)}/s, commit→assigned p50 ${figures.p50.toFixed(1)} p99 ${figures.p99.toFixed(1)} ms`);
        if (extra) await P.stopProcess(extra);
        ctx.extraWorkers = [];
      }
    }

    if (SECTIONS.has(5)) {
      const runMs = (FLOOR_BESIDE_SECONDS + DURATION) * 1000;
      for (const processes of [1, 2]) {
        if (!budget.allows(5, runMs, `S5 API_PROCESSES=${processes}`)) continue;
        await P.stopProcess(api);
        api = await bootApi(env, ctx, { API_PROCESSES: String(processes) });
        for (const startsOnly of [false, true]) {
          const label = `S5 API_PROCESSES=${processes}${startsOnly ? ' starts only' : ''}`;
          if (!budget.allows(5, runMs, label)) continue;
          const floorRps = await floorBeside();
          const r = await measured(ctx, api, 'identified-json', { connections: 32, duration: DURATION, startsOnly }, label);
          results.processes.push({ processes, startsOnly, floorBeside: floorRps, ...r });
        }
      }
    }

    if (SECTIONS.has(4) && budget.allows(4, MEMORY_READING_MS, 'S4 memory, the whole section')) {
      await P.stopProcess(api);
      api = await bootApi(env, ctx, {}, { warm: false, nodeArgs: ['--expose-gc', '--require', join(__dirname, 'lib', 'gc-on-signal.js')] });
      let done = 0;
      let chunkMs = 0;
      for (const point of MEMORY_POINTS) {
        // In chunks, each started only if it (as long as the last one) and the reading after it end
        // by the section's deadline: a slow machine cuts the point short instead of overrunning.
        while (done < point && budget.allows(4, chunkMs + MEMORY_READING_MS)) {
          const chunk = Math.min(MEMORY_CHUNK, point - done);
          const chunkStart = Date.now();
          await measured(ctx, api, 'identified-json', { connections: 32, amount: chunk }, `S4 memory ${done}→${done + chunk}`);
          chunkMs = Date.now() - chunkStart;
          done += chunk;
        }
        const reached = results.memory.at(-1)?.starts ?? 0;
        if (done === reached) {
          budget.leaveOut(4, `S4 memory point ${point.toLocaleString('en-US')}: no time for a chunk after ${reached.toLocaleString('en-US')} starts`);
          break;
        }
        await new Promise((r) => setTimeout(r, 1000));
        const rawRss = P.rssMiB(api.pid);
        const { rss, heapUsed } = await rssAfterGc(api);
        results.memory.push({ starts: done, point, rss, rawRss, heapUsed, short: done < point });
        log(`memory after ${done} starts: RSS ${rawRss.toFixed(1)} MiB, ${rss.toFixed(1)} MiB after full GCs (heap in use ${heapUsed.toFixed(1)} MiB)${done < point ? ` (cut short by the time budget before ${point})` : ''}`);
        if (done < point) {
          budget.leaveOut(4, `S4 memory point ${point.toLocaleString('en-US')}: cut short at ${done.toLocaleString('en-US')} starts`);
          break;
        }
      }
    }
    await P.stopProcess(api);
    await P.stopProcess(worker);
  } finally {
    await cleanup();
  }

  const text = render(results);
  console.log(`\n${text}`);
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  log(`written to ${OUT}`);
  const failed = results.validation.filter((v) => v.problems.length > 0);
  if (failed.length > 0) {
    console.error(`VALIDATION FAILED in ${failed.length} run(s)`);
    process.exitCode = 1;
  }
}

/**
 * The floor's statements behind a bare node:http server (lib/http-floor.js), driven like the api
 * at 32 connections: how much of the floor any HTTP service keeps on this machine.
 */
async function runHttpFloor(env, floorName, clientApplicationId, floorBeside) {
  const server = await P.startApi({ ...env, FLOOR_DATABASE: floorName, FLOOR_POOL_SIZE: String(FLOOR_MAX_POOL), FLOOR_CLIENT_APPLICATION_ID: clientApplicationId }, {}, [], 'bench/lib/http-floor.js');
  try {
    const load = workload('identified-json', { token: 'none', lastModifiedDate: 'none', tag: `${floorName}_http` });
    await drive(server.baseUrl, load, { connections: 32, amount: WARMUP_STARTS });
    const floorRps = await floorBeside();
    const dbPid = P.servicePids().db;
    const before = { server: P.cpuSeconds(server.pid), db: dbPid ? P.cpuSeconds(dbPid) : NaN, loader: process.cpuUsage() };
    const r = await drive(server.baseUrl, load, { connections: 32, duration: DURATION });
    const per = (seconds) => (seconds * 1000) / Math.max(1, r.ok);
    const loader = process.cpuUsage(before.loader);
    r.cpuMs = per(P.cpuSeconds(server.pid) - before.server);
    r.dbCpuMs = dbPid ? per(P.cpuSeconds(dbPid) - before.db) : NaN;
    r.loaderCpuMs = (loader.user + loader.system) / 1000 / Math.max(1, r.ok + r.non2xx);
    delete r.activityIds;
    r.floorBeside = floorRps;
    log(`floor behind bare HTTP, 32 connections: ${Math.round(r.rps)} req/s p50 ${r.p50} p99 ${r.p99} cpu ${r.cpuMs.toFixed(2)} ms/start errors ${r.errors} non2xx ${r.non2xx}`);
    return r;
  } finally {
    await P.stopProcess(server);
  }
}

/** Asks the api (started with lib/gc-on-signal.js) for full GCs, then reads VmRSS and the heap in use it reported. */
async function rssAfterGc(api) {
  const done = () => api.output.filter((l) => l.startsWith('bench: gc done'));
  const before = done().length;
  api.child.kill('SIGWINCH');
  await P.waitFor(async () => done().length > before, 15000, 'the api to run a GC');
  const heapUsed = Number(/heapUsed=([\d.]+)/.exec(done().pop())[1]);
  return { rss: P.rssMiB(api.pid), heapUsed };
}

/** Starts an api, logs in, reads lastModified, and warms it up (JIT, pools, caches). */
async function bootApi(env, ctx, extra, { warm = true, nodeArgs = [] } = {}) {
  const api = await P.startApi(env, extra, nodeArgs);
  ctx.token = await login(api.baseUrl, ctx.credentials);
  ctx.lastModifiedDate = await lastModified(api.baseUrl, ctx.token);
  // By count, not time: every process must have run the hot path often enough for the JIT,
  // or its compile time shows up as api CPU in the first measured run.
  const processes = Number(extra.API_PROCESSES || 1);
  if (warm) await measured(ctx, api, 'identified-json', { connections: 32, amount: WARMUP_STARTS * processes }, `warm-up ${JSON.stringify(extra)}`, undefined, { report: false });
  return api;
}

/**
 * Sum and count of the workers' `assignment_batch_size` so far: over a run, their differences
 * give the activities per assignment transaction, as seen by the jobs.
 */
async function batchTotals(workers) {
  const totals = { sum: 0, count: 0 };
  for (const w of workers) {
    const text = await fetch(w.metricsUrl).then((r) => r.text());
    totals.sum += Number(/^assignment_batch_size_sum (\S+)$/m.exec(text)?.[1] ?? 0);
    totals.count += Number(/^assignment_batch_size_count (\S+)$/m.exec(text)?.[1] ?? 0);
  }
  return totals;
}

const batchMean = (before, after) => (after.count > before.count ? (after.sum - before.sum) / (after.count - before.count) : NaN);

/** CPU seconds so far of the database, Redis and the first worker: what a start costs beyond the api. */
function otherCpu(ctx) {
  const { db, redis } = P.servicePids();
  return {
    db: db ? P.cpuSeconds(db) : NaN,
    redis: redis ? P.cpuSeconds(redis) : NaN,
    worker: P.cpuSeconds(ctx.worker.pid),
  };
}

/** One load run (autocannon, or paced with a rate) followed by its validation (every 2xx one activity, every activity assigned). */
async function measured(ctx, api, kind, opts, label, mark, { report = true } = {}) {
  mark ??= await activityWatermark(ctx.db);
  const load = workload(kind, { token: ctx.token, lastModifiedDate: ctx.lastModifiedDate, tag: ctx.tag });
  const cpuBefore = P.cpuSeconds(api.pid);
  const othersBefore = otherCpu(ctx);
  const workers = [ctx.worker, ...(ctx.extraWorkers ?? [])];
  const batchesBefore = await batchTotals(workers);
  const loaderBefore = process.cpuUsage();
  const machineBefore = P.machineTicks();
  // A rate means an evenly paced open-loop load (section 3); otherwise autocannon's closed loop.
  // The floor is the start's statements alone, while the api's runs share these cores with the
  // worker's assignments: a "starts only" run pauses the worker for the load; it assigns the backlog after.
  if (opts.startsOnly) ctx.worker.child.kill('SIGSTOP');
  let r;
  try {
    r = opts.rate ? await pace(api.baseUrl, load, opts) : await drive(api.baseUrl, load, opts);
  } finally {
    if (opts.startsOnly) ctx.worker.child.kill('SIGCONT');
  }
  const loader = process.cpuUsage(loaderBefore);
  // How close to saturation the load kept all cores: what every process's cost per start depends on (bench/README.md).
  r.machineBusy = P.machineBusyPercent(machineBefore, P.machineTicks());
  r.loaderCpuMs = (loader.user + loader.system) / 1000 / Math.max(1, r.ok + r.non2xx);
  const loadEnd = await dbNow(ctx.db);
  // CPU per start barely depends on what else the machine runs: the steadiest figure of a noisy run.
  r.cpuMs = ((P.cpuSeconds(api.pid) - cpuBefore) * 1000) / Math.max(1, r.ok);
  const others = otherCpu(ctx);
  for (const key of Object.keys(others)) r[`${key}CpuMs`] = ((others[key] - othersBefore[key]) * 1000) / Math.max(1, r.ok);
  const v = await validateRun(ctx.db, mark, r, { assignTimeoutMs: ASSIGN_TIMEOUT_MS });
  // After validation: every assignment of the run, the backlog of a paused worker included.
  r.batchMean = batchMean(batchesBefore, await batchTotals(workers));
  results.validation.push({ run: label, ok: r.ok, problems: v.problems, drainMs: v.drainMs });
  if (report) log(`${label}: ${Math.round(r.rps)} req/s p50 ${r.p50} p99 ${r.p99} cpu ${r.cpuMs.toFixed(2)} ms/start (autocannon ${r.loaderCpuMs.toFixed(2)}) errors ${r.errors} non2xx ${r.non2xx} ${JSON.stringify(r.statuses)}${v.problems.length ? ` INVALID: ${v.problems.join('; ')}` : ''}`);
  delete r.activityIds;
  return { ...r, loadEnd, drainMs: v.drainMs };
}

const describeEndpoint = (e) => (e.socketPath ? `Unix socket ${e.socketPath}` : `TCP ${e.host}:${e.port}`);

async function describeRun(db, config) {
  const version = (await db.query('SELECT VERSION() AS v'))[0].v;
  let redis = '?';
  try {
    const Redis = require('ioredis');
    const client = new Redis({ host: P.LOOPBACK, port: config.REDIS_PORT, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    redis = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? '?';
    client.disconnect();
  } catch { /* reported as ? */ }
  let commit = '?';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: P.ROOT }).toString().trim();
    if (execSync('git status --porcelain -- src', { cwd: P.ROOT }).toString().trim()) commit += ' (+ uncommitted src changes)';
  } catch { /* not a git checkout */ }
  results.meta = {
    date: new Date().toISOString(), cores: os.cpus().length, node: process.version, mariadb: version, redis, commit,
    loadavg: os.loadavg().map((l) => l.toFixed(2)).join(' '), durationSeconds: DURATION, quick: QUICK,
    logLevel: P.baseEnv('x').LOG_LEVEL, poolSize: config.DB_POOL_SIZE,
    database: describeEndpoint(P.requireDist('platform/database/data-source-options.js').databaseEndpoint(config)), assignmentConcurrency: config.ASSIGNMENT_CONCURRENCY,
  };
}

main().catch((err) => {
  console.error(err.stack || err.message);
  P.stopAll().finally(() => process.exit(1));
});
