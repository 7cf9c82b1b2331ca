'use strict';
// What must hold after every API run, whatever the speed: each 2xx left exactly one
// activity, nothing else left one, every activity ends up assigned, and assigned once.
const { summarize } = require('./stats');

const STALL_MS = 10000;

async function activityWatermark(db) {
  const rows = await db.query('SELECT COALESCE(MAX(id), 0) AS m, NOW(3) AS now FROM activity');
  return { id: String(rows[0].m), at: rows[0].now };
}

async function dbNow(db) {
  return (await db.query('SELECT NOW(3) AS now'))[0].now;
}

/**
 * Checks the activities of one run (ids above `mark`). Returns a list of problems
 * (empty when the run is valid) and the assignment figures of the run.
 */
async function countSince(db, mark) {
  return Number((await db.query('SELECT COUNT(*) AS n FROM activity WHERE id > ?', [mark.id]))[0].n);
}

/**
 * Requests the client gave up on at the end of a timed run may still be committing in the
 * api; wait until the count of new activities holds still so they land in this run's count
 * and not in the next run's.
 */
async function settle(db, mark, timeoutMs = 10000) {
  const started = Date.now();
  let last = await countSince(db, mark);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = await countSince(db, mark);
    if (now === last || Date.now() - started > timeoutMs) return now;
    last = now;
  }
}

async function validateRun(db, mark, run, { assignTimeoutMs }) {
  const problems = [];
  await settle(db, mark);
  if (run.ok === 0) problems.push(`no 2xx answer at all (${JSON.stringify(run.statuses)}, errors ${run.errors})`);
  const ids = run.activityIds;
  if (ids.length !== run.ok) problems.push(`${run.ok} 2xx answers but ${ids.length} carried an activity id`);
  if (new Set(ids).size !== ids.length) problems.push('the same activity id was answered twice');
  const created = await countSince(db, mark);
  // A timed run ends with up to one request in flight per connection: the server commits it,
  // the client has stopped listening. Those extra activities are allowed; nothing else is.
  // A run by amount, and a paced one (`rate`: it waits for every answer), leaves none.
  const inFlight = run.amount || run.rate ? 0 : run.connections;
  if (created < run.ok || created > run.ok + inFlight) {
    problems.push(`${run.ok} 2xx answers (up to ${inFlight} more cut off by the end of the run) but ${created} activities created`);
  }
  let found = 0;
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000);
    found += Number((await db.query(`SELECT COUNT(*) AS n FROM activity WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk))[0].n);
  }
  if (found !== ids.length) problems.push(`${ids.length - found} answered activity ids are not in the database`);

  // Wait while the backlog shrinks; give up when it stalls or the bound is reached.
  const waitStarted = Date.now();
  let unassigned = Infinity;
  let progressAt = waitStarted;
  for (;;) {
    const rows = await db.query("SELECT COUNT(*) AS n FROM activity WHERE id > ? AND state <> 'assigned'", [mark.id]);
    const now = Number(rows[0].n);
    if (now < unassigned) progressAt = Date.now();
    unassigned = now;
    if (unassigned === 0 || Date.now() - waitStarted > assignTimeoutMs || Date.now() - progressAt > STALL_MS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (unassigned > 0) problems.push(`${unassigned} activities not assigned ${Date.now() - waitStarted} ms after the run (backlog ${Date.now() - progressAt > STALL_MS ? 'stalled' : 'still draining'})`);
  const drainMs = Date.now() - waitStarted;
  problems.push(...(await assignedOnce(db, mark)));
  return { problems, drainMs };
}

/**
 * An activity assigned twice still reads 'assigned' once: what shows it is a second
 * 'assigned' event in its conversation, or an agent whose active_chats counts a chat it
 * does not hold. Both are index probes (ix_message_event, ix_activity_agent); the agents'
 * count covers every run so far, and each statement reads one snapshot, so assignments
 * committing meanwhile cannot make it differ.
 */
async function assignedOnce(db, mark) {
  const problems = [];
  const [events] = await db.query(
    `SELECT COUNT(*) AS n, MIN(a.id) AS first FROM activity a
      WHERE a.id > ? AND a.state = 'assigned'
        AND (SELECT COUNT(*) FROM message m WHERE m.conversation_id = a.conversation_id AND m.type = 'assigned') <> 1`,
    [mark.id],
  );
  if (Number(events.n) > 0) problems.push(`${events.n} assigned activities have other than one 'assigned' event (the first: activity ${events.first})`);
  const agents = await db.query(
    `SELECT id, active_chats AS counted, held FROM (
       SELECT ag.id, ag.active_chats, (SELECT COUNT(*) FROM activity x WHERE x.agent_id = ag.id AND x.state = 'assigned') AS held FROM agent ag
     ) t WHERE active_chats <> held`,
  );
  for (const a of agents) problems.push(`agent ${a.id} counts ${a.counted} active chats but holds ${a.held} assigned activities`);
  return problems;
}

/**
 * Assignment figures of one run: commit→assigned latency (activity.created_at to
 * assigned_at, both written by MariaDB's clock), starts per second created inside the load
 * window [from, to], and assignments per second completed inside the same window shifted by
 * the median latency (an assignment follows its start by that much; without the shift the
 * window's edges alone make assignments look a few percent slower than starts).
 */
async function assignmentFigures(db, mark, from, to) {
  const rows = await db.query(
    "SELECT TIMESTAMPDIFF(MICROSECOND, created_at, assigned_at) AS us FROM activity WHERE id > ? AND state = 'assigned'",
    [mark.id],
  );
  const latencies = rows.map((r) => Number(r.us) / 1000);
  const figures = summarize(latencies);
  const lagMs = Number.isFinite(figures.p50) ? figures.p50 : 0;
  const shift = (d) => new Date(d.getTime() + lagMs);
  const assigned = Number((await db.query(
    'SELECT COUNT(*) AS n FROM activity WHERE id > ? AND assigned_at >= ? AND assigned_at < ?',
    [mark.id, shift(from), shift(to)],
  ))[0].n);
  const started = Number((await db.query(
    'SELECT COUNT(*) AS n FROM activity WHERE id > ? AND created_at >= ? AND created_at < ?',
    [mark.id, from, to],
  ))[0].n);
  const seconds = (to.getTime() - from.getTime()) / 1000;
  return { assignedPerSecond: assigned / seconds, startedPerSecond: started / seconds, ...figures, count: latencies.length, latencies };
}

/**
 * Commit→assigned of the run's activities whose assignment jobs Bull still keeps (the last
 * 1,000 completed), split by the job's own timestamps: from the activity's INSERT to the job's
 * arrival in Redis (the rest of the start's transaction, its COMMIT, the api's add), waiting in
 * the queue, and the worker's part up to `assigned_at`. MariaDB's NOW(3) and the api's and
 * worker's Date.now() read the same clock on one machine. `jobKey(activityId)` is the job's hash.
 */
async function handOverSplit(db, redis, jobKey, mark) {
  const rows = await db.query(
    "SELECT id, UNIX_TIMESTAMP(created_at) * 1000 AS created, UNIX_TIMESTAMP(assigned_at) * 1000 AS assigned FROM activity WHERE id > ? AND state = 'assigned'",
    [mark.id],
  );
  const pipeline = redis.pipeline();
  for (const row of rows) pipeline.hmget(jobKey(String(row.id)), 'timestamp', 'processedOn');
  const replies = rows.length ? await pipeline.exec() : [];
  const toQueue = [];
  const queued = [];
  const inWorker = [];
  rows.forEach((row, i) => {
    const [err, fields] = replies[i];
    const [added, processed] = (fields ?? []).map(Number);
    if (err || !added || !processed) return;
    toQueue.push(added - Number(row.created));
    queued.push(processed - added);
    inWorker.push(Number(row.assigned) - processed);
  });
  return { jobs: toQueue.length, of: rows.length, toQueue: summarize(toQueue), queued: summarize(queued), inWorker: summarize(inWorker) };
}

module.exports = { activityWatermark, dbNow, validateRun, assignmentFigures, handOverSplit };
