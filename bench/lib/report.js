'use strict';
const { summarize } = require('./stats');
// Markdown tables of one bench run, printed and written to a file.

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : Math.round(n).toString()) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '—');
const cpu = (n) => (Number.isFinite(n) ? n.toFixed(2) : '—');
const pct = (n) => (Number.isFinite(n) ? `${n >= 0 ? '+' : ''}${n.toFixed(1)}%` : '—');
const busy = (n) => (Number.isFinite(n) ? `${Math.round(n)}%` : '—');

function table(head, rows) {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function floorAt(results, conns) {
  return results.floor.find((f) => f.workers === conns)?.rps;
}

/** What a run the targets are about is compared with: the floor@32 measured just before it, when there is one. */
function floorFor(results, r) {
  return Number.isFinite(r.floorBeside) ? r.floorBeside : floorAt(results, r.connections ?? 32);
}

const workerMode = (r) => (r.startsOnly ? 'paused' : 'assigning');
const workerCount = (n) => `${n} worker${n > 1 ? 's' : ''}`;

/** Section 3's rounds of each worker count, their commit→assigned latencies taken together: what the targets judge. */
function assignmentByWorkers(assignment) {
  const counts = [...new Set(assignment.map((a) => a.workers))].sort((x, y) => x - y);
  return counts.map((workers) => {
    const rounds = assignment.filter((a) => a.workers === workers);
    return { workers, rounds, ...summarize(rounds.flatMap((a) => a.latencies ?? [])), count: rounds.reduce((n, a) => n + a.count, 0) };
  });
}

/** The section-2 run the targets are about: identified JSON at 32 connections, with assignment running or starts only. */
const isTargetRun = (r, startsOnly) => r.workload === 'identified-json' && r.connections === 32 && r.startsOnly === startsOnly;

/** The time budget's shares, and plainly what it left out or cut short. */
function budgetLine(budget) {
  const shares = [...budget.deadlines.keys()].map((s) => `section ${s} until ${Math.round(budget.deadlineSeconds(s))} s`).join(', ');
  const head = `Time budget: ${budget.budgetSeconds} s for the whole run (\`--budget\`), shared up front: ${shares}.`;
  if (!budget.leftOut.length) return `${head} Nothing was left out or cut short.`;
  return [`${head} **Left out or cut short** for it, so the tables below lack these points:`, '',
    ...budget.leftOut.map((l) => `- ${l.what} (at ${Math.round(l.atSeconds)} s)`)].join('\n');
}

function render(results) {
  const out = [];
  const m = results.meta;
  out.push(`# Benchmark results${m.quick ? ' (quick smoke run — not comparable)' : ''}`, '');
  out.push(table(['date', 'cores', 'node', 'MariaDB', 'Redis', 'commit', 'load avg at start', 'duration per point'], [[
    m.date, m.cores, m.node, m.mariadb, m.redis, m.commit, m.loadavg, `${m.durationSeconds} s`,
  ]]));
  out.push('', `api: \`node dist/src/main.js\`, LOG_LEVEL=${m.logLevel}, DB_POOL_SIZE=${m.poolSize}; worker: \`node dist/src/worker.js\`, ASSIGNMENT_CONCURRENCY=${m.assignmentConcurrency}. `
    + `Database reached over ${m.database ?? 'TCP'} by the api, the worker and both floors (\`DB_SOCKET_PATH\`). `
    + 'All traffic to 127.0.0.1; load generator (autocannon) and floor run in the bench process on the same machine. '
    + 'The machine is shared: compare ratios within this run, not absolute numbers across runs.', '');
  if (results.budget) out.push(budgetLine(results.budget), '');

  if (results.floor.length) {
    out.push('## 1. Floor: the start\'s statements straight through a mysql2 pool', '');
    out.push(table(['workers', 'pool', 'starts/s', 'p50 ms', 'p99 ms', 'errors', 'client CPU ms/start', 'MariaDB CPU ms/start'],
      results.floor.map((f) => [f.workers, f.poolSize, int(f.rps), ms(f.p50), ms(f.p99), f.errors, cpu(f.cpuMs), cpu(f.dbCpuMs)])));
    out.push('');
  }
  const h = results.httpFloor;
  if (h) {
    out.push('### The floor behind bare HTTP', '');
    out.push(table(['server', 'conns', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs floor@32 (above)', 'floor@32 just before', 'vs it', 'server CPU ms/start', 'MariaDB', 'autocannon CPU ms/req'],
      [['node:http, JSON.parse, the floor\'s statements (`bench/lib/http-floor.js`)', h.connections, int(h.rps), ms(h.p50), ms(h.p99), h.errors, h.non2xx, ratio(h.rps, floorAt(results, 32)), int(h.floorBeside), ratio(h.rps, h.floorBeside), cpu(h.cpuMs), cpu(h.dbCpuMs), cpu(h.loaderCpuMs)]]));
    out.push('', 'The same statements and pool size as the floor at 32, behind the plainest HTTP server Node has (no framework, authentication, validation, '
      + 'logging, queue or assignment), driven by the same load generator as the api: what any HTTP service keeps of the floor on this machine.', '');
  }
  if (results.api.length) {
    out.push('## 2. Start API (API_PROCESSES=1, one worker)', '');
    out.push(table(['workload', 'conns', 'worker during the run', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs floor (same conns)', 'floor@32 just before', 'vs it', 'api CPU ms/start', 'MariaDB', 'worker', 'Redis', 'autocannon CPU ms/req', 'machine busy', 'activities per assignment transaction'],
      results.api.map((r) => [r.workload, r.connections, workerMode(r), int(r.rps), ms(r.p50), ms(r.p99), r.errors, r.non2xx, ratio(r.rps, floorAt(results, r.connections)), int(r.floorBeside), ratio(r.rps, r.floorBeside), cpu(r.cpuMs), cpu(r.dbCpuMs), cpu(r.workerCpuMs), cpu(r.redisCpuMs), cpu(r.loaderCpuMs), busy(r.machineBusy), cpu(r.batchMean)])));
    const floor32 = results.floor.find((f) => f.workers === 32);
    const floorTotal = floor32 ? [floor32.cpuMs, floor32.dbCpuMs].filter(Number.isFinite).reduce((s, x) => s + x, 0) : NaN;
    const total = (r) => [r.cpuMs, r.dbCpuMs, r.workerCpuMs, r.redisCpuMs, r.loaderCpuMs].filter(Number.isFinite).reduce((s, x) => s + x, 0);
    const bound = (r) => `${cpu(total(r))} ms per start (bound on ${m.cores} cores: about ${int((m.cores * 1000) / total(r))}/s)`;
    const at32 = (startsOnly) => results.api.find((r) => isTargetRun(r, startsOnly));
    const [assigning, startsOnly] = [at32(false), at32(true)];
    if (assigning && floor32) {
      out.push('', `CPU per identified start at 32, all processes together (api, MariaDB, worker, Redis, load generator): with assignment running, ${bound(assigning)}`
        + `${startsOnly ? `; starts only, ${bound(startsOnly)}` : ''}; the floor (client and MariaDB) ${cpu(floorTotal)} ms (about ${int((m.cores * 1000) / floorTotal)}/s). `
        + 'MariaDB, worker and Redis columns: their CPU during the run divided by its 2xx. Machine busy: the share of all cores\' time that was not idle during the load (`/proc/stat`); what a start costs each process depends on it (bench/README.md). Activities per assignment transaction: the mean, over the run\'s assignment jobs, of how many activities shared the job\'s transaction (the workers\' `assignment_batch_size`; a paused worker\'s backlog included). "assigning": the worker assigns as the starts come in, on the same cores. '
        + '"paused": the worker is stopped (SIGSTOP) for the timed load and assigns the backlog after it, as the floor does no assignment; validation waits for every assignment either way. '
        + '"floor@32 just before": the runs the targets are about (here and in section 5) are each preceded by a short floor run at 32, and the targets compare them with it, '
        + 'because the machine\'s speed moves from one minute to the next.');
    }
    out.push('');
  }
  if (results.assignment.length) {
    out.push('## 3. Assignment at about half the max start rate', '');
    out.push(table(['round', 'workers', 'offered starts/s', 'starts/s', 'assignments/s', 'commit→assigned p50 ms', 'p99 ms', 'max ms', 'last assignment, ms after the run settled', 'worker CPU ms/assignment', 'machine busy', 'activities per assignment transaction'],
      results.assignment.map((a) => [a.round, a.workers, int(a.offered), int(a.startedPerSecond), int(a.assignedPerSecond), ms(a.p50), ms(a.p99), ms(a.max), ms(a.drainMs), cpu(a.workerCpuMs), busy(a.machineBusy), cpu(a.batchMean)])));
    const pooled = assignmentByWorkers(results.assignment);
    if (pooled.some((p) => p.rounds.length > 1)) {
      out.push('', 'Each worker count over all its rounds (rounds alternate the counts, so that a slow stretch of the machine does not fall on one count alone): what the targets judge.', '');
      out.push(table(['workers', 'rounds', 'activities', 'commit→assigned p50 ms', 'p99 ms', 'max ms'], pooled.map((p) => [p.workers, p.rounds.length, int(p.count), ms(p.p50), ms(p.p99), ms(p.max)])));
    }
    const split = results.assignment.filter((a) => a.split && a.split.jobs > 0);
    if (split.length) {
      const part = (s) => `${ms(s.p50)} / ${ms(s.p99)}`;
      out.push('', 'The same latency in parts, p50 / p99 ms, for the activities whose jobs Bull still kept (its last 1,000 completed), from the job\'s own timestamps:', '');
      out.push(table(['round', 'workers', 'activities', 'INSERT → job in Redis (rest of the start\'s transaction, COMMIT, the api\'s add)', 'waiting in the queue', 'the worker, up to assigned_at'],
        split.map((a) => [a.round, a.workers, `${int(a.split.jobs)} of ${int(a.split.of)}`, part(a.split.toQueue), part(a.split.queued), part(a.split.inWorker)])));
    }
    out.push('');
  }
  if (results.memory.length) {
    out.push('## 4. Memory: api RSS (VmRSS)', '');
    const [first] = results.memory;
    const growth = (p, key) => (p === first ? '—' : pct(((p[key] - first[key]) / first[key]) * 100));
    out.push(table(['after starts', 'RSS MiB after full GCs', 'growth', 'heap in use MiB', 'growth', 'RSS MiB as found', 'growth'],
      results.memory.map((p) => [`${int(p.starts)}${p.short ? ` (**cut short** by the time budget: ${int(p.point)} planned)` : ''}`, p.rss.toFixed(1), growth(p, 'rss'), p.heapUsed.toFixed(1), growth(p, 'heapUsed'), p.rawRss.toFixed(1), growth(p, 'rawRss')])));
    out.push('', 'As found: one second after the load, whatever garbage awaits the next collection included (it moves by ±20% from run to run). '
      + 'After full GCs (`--expose-gc`; on a signal, `bench/lib/gc-on-signal.js` collects twice, two seconds apart, and waits a second so that V8 returns the pages it freed): '
      + 'what the process retains; the target is judged on this RSS. Heap in use: V8\'s own count after the same collections.');
    out.push('');
  }
  if (results.processes.length) {
    out.push('## 5. Processes: identified JSON starts at 32 connections', '');
    out.push(table(['API_PROCESSES', 'worker during the run', 'req/s (2xx)', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'vs floor@32 (section 1)', 'floor@32 just before', 'vs it', 'api CPU ms/start', 'machine busy'],
      results.processes.map((r) => [r.processes, workerMode(r), int(r.rps), ms(r.p50), ms(r.p99), r.errors, r.non2xx, ratio(r.rps, floorAt(results, 32)), int(r.floorBeside), ratio(r.rps, r.floorBeside), cpu(r.cpuMs), busy(r.machineBusy)])));
    out.push('');
  }
  const targets = evaluateTargets(results);
  if (targets.length) {
    out.push('## Targets', '');
    out.push(table(['target', 'measured', 'met'], targets.map((t) => [t.name, t.measured, t.met === undefined ? '—' : t.met ? 'yes' : '**no**'])));
    out.push('');
  }
  out.push('## Validation', '');
  out.push(results.validation.length === 0 ? 'No API run was validated.' : table(['run', 'result'],
    results.validation.map((v) => [v.run, v.problems.length ? `**FAILED**: ${v.problems.join('; ')}` : `ok: ${int(v.ok)} starts, each one activity, all assigned once (${ms(v.drainMs)} ms after the run settled)`])));
  out.push('');
  return out.join('\n');
}

function evaluateTargets(results) {
  const t = [];
  const floor32 = floorAt(results, 32);
  for (const startsOnly of [false, true]) {
    const mode = startsOnly ? 'starts only, worker paused' : 'assignment running';
    const at32 = [...results.processes.filter((r) => r.startsOnly === startsOnly).map((r) => ({ label: `API_PROCESSES=${r.processes}`, ...r })),
      ...results.api.filter((r) => isTargetRun(r, startsOnly)).map((r) => ({ label: 'API_PROCESSES=1 (section 2)', processes: 1, ...r }))];
    if (!floor32 || !at32.length) continue;
    // Each run against the floor measured just before it; the best is the best ratio.
    const share = (r) => r.rps / floorFor(results, r);
    const best = at32.reduce((a, b) => (share(b) > share(a) ? b : a));
    const all = at32.map((r) => `${r.label} ${ratio(r.rps, floorFor(results, r))}`).join(', ');
    t.push({ name: `start API @32, best process count ≥ 0.75x floor@32 (${mode})`, measured: `${ratio(best.rps, floorFor(results, best))} (${best.label}; runs: ${all})`, met: share(best) >= 0.75 });
    t.push({ name: `start API @32, best process count p99 ≤ 50 ms (${mode})`, measured: `${ms(best.p99)} ms`, met: best.p99 <= 50 });
    const ones = at32.filter((r) => r.processes === 1);
    if (ones.length) {
      const one = ones.reduce((a, b) => (share(b) > share(a) ? b : a));
      t.push({ name: `one api process @32 ≥ 0.45x floor@32 (${mode})`, measured: `${ratio(one.rps, floorFor(results, one))} (${one.label})`, met: share(one) >= 0.45 });
    }
  }
  if (floor32 && results.httpFloor) {
    t.push({ name: 'for scale, not a target: the floor behind bare HTTP @32 (no framework, no assignment)', measured: ratio(results.httpFloor.rps, floorFor(results, results.httpFloor)), met: undefined });
  }
  for (const { workers, rounds, p99 } of assignmentByWorkers(results.assignment)) {
    const each = rounds.length > 1 ? ` (${rounds.length} rounds together; each: ${rounds.map((a) => ms(a.p99)).join(', ')} ms)` : '';
    t.push({ name: `commit→assigned p99 ≤ 50 ms at half rate (${workerCount(workers)})`, measured: `${ms(p99)} ms${each}`, met: p99 <= 50 });
    // Every round: a queue that grew in one of them grew.
    t.push({ name: `assignment rate ≥ start rate (${workerCount(workers)}, every round)`, measured: rounds.map((a) => `${int(a.assignedPerSecond)} vs ${int(a.startedPerSecond)} /s`).join('; '), met: rounds.every((a) => a.assignedPerSecond >= 0.98 * a.startedPerSecond) });
  }
  if (results.memory.length >= 2) {
    const [a, b] = [results.memory[0], results.memory[results.memory.length - 1]];
    const growth = ((b.rss - a.rss) / a.rss) * 100;
    t.push({ name: `RSS growth ${int(a.starts)}→${int(b.starts)} starts < 10% (after full GCs)`, measured: `${pct(growth)} (heap in use: ${pct(((b.heapUsed - a.heapUsed) / a.heapUsed) * 100)}; RSS as found: ${pct(((b.rawRss - a.rawRss) / a.rawRss) * 100)})`, met: growth < 10 });
  }
  return t;
}

module.exports = { render, evaluateTargets, isTargetRun };
