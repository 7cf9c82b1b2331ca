'use strict';
// The floor: the statements of one identified start (new customer), copied from the
// repositories the start use case calls, sent straight through a mysql2 pool with no
// HTTP, no Nest, no TypeORM. What the api reaches is measured against this.
const { randomUUID } = require('node:crypto');
const { summarize } = require('./stats');
const { requireDist } = require('./platform');

const { contactLookupKey } = requireDist('modules/customer/domain/contact-lookup-key.js');
const { creationLockBucket } = requireDist('modules/customer/infrastructure/mysql-customer.repository.js');

// Same SQL text as src/modules/customer/infrastructure/mysql-customer.repository.ts,
// src/modules/case/infrastructure/mysql-case.repository.ts,
// src/modules/conversation/infrastructure/mysql-conversation.repository.ts and
// src/platform/outbox/mysql-outbox.ts, sent the same way: prepared (`execute`) where the
// repositories call preparedQuery, as text (`query`) where they call the manager's query (the
// contact point insert and the creation lock, whose texts vary with the number of contact
// points, the transaction's own statements, and the batched relayed mark).
// test/bench.floor-statements.e2e-spec.ts captures what the api sends for one start and fails
// when it differs from START_STATEMENTS.
const SQL = {
  isolation: { protocol: 'query', sql: 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED' },
  begin: { protocol: 'query', sql: 'START TRANSACTION' },
  lookup: { protocol: 'execute', sql: 'SELECT DISTINCT customer_id FROM contact_point WHERE attribute = ? AND normalized_value = ? LIMIT 2' },
  creationLock: { protocol: 'query', sql: 'INSERT INTO contact_point_lock (bucket) VALUES (?) ON DUPLICATE KEY UPDATE bucket = bucket' },
  customer: { protocol: 'execute', sql: 'INSERT INTO customer (department_id, type, first_name, last_name, custom_attributes, created_at) VALUES (?, ?, ?, ?, ?, NOW(3))' },
  contactPoint: { protocol: 'query', sql: 'INSERT INTO contact_point (customer_id, department_id, attribute, value, normalized_value, lookup_scope) VALUES (?, ?, ?, ?, ?, ?)' },
  customerCase: { protocol: 'execute', sql: 'INSERT INTO customer_case (customer_id, department_id, subject, created_at) VALUES (?, ?, ?, NOW(3))' },
  activity: {
    protocol: 'execute',
    sql: `INSERT INTO activity (case_id, customer_id, client_application_id, entry_point_id, queue_id, conversation_id, state, subject,
         contact_attribute, contact_value, client_info, custom_attributes, rich_text, typing_notifications, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
  },
  conversation: { protocol: 'execute', sql: 'INSERT INTO conversation (id, activity_id, client_application_id, correlation_id, created_at) VALUES (?, ?, ?, ?, ?)' },
  outbox: { protocol: 'execute', sql: 'INSERT INTO outbox (topic, job_id, payload, created_at) VALUES (?, ?, ?, NOW(3))' },
  commit: { protocol: 'query', sql: 'COMMIT' },
  // After the commit, once the job is in Redis; one statement for all the rows of a flush (`relayedMarks` below).
  relayed: { protocol: 'query', sql: (count) => `UPDATE outbox SET relayed_at = NOW(3) WHERE id IN (${Array(count).fill('?').join(',')}) AND relayed_at IS NULL` },
};

/**
 * What one start sends, in order, when it is the only one of its flush (a lone start). The
 * reads the api caches (session, configuration, system settings, agent availability and live
 * workers) are left out: one per cache lifetime and process, not one per start.
 */
const START_STATEMENTS = [
  SQL.isolation, SQL.begin, SQL.lookup, SQL.creationLock, SQL.lookup, SQL.customer, SQL.contactPoint,
  SQL.customerCase, SQL.activity, SQL.conversation, SQL.outbox, SQL.commit,
  { protocol: SQL.relayed.protocol, sql: SQL.relayed.sql(1) },
];

/** As src/platform/outbox/mysql-outbox.ts batches its relayed marks. */
const RELAYED_MARK_FLUSH_MS = 50;

const EMAIL_ATTRIBUTE = 'email.emailAddress';

function send(conn, { protocol, sql }, params = []) {
  // `execute` keeps each text prepared per connection, as preparedQuery (src/platform/database/prepared-query.ts) does.
  return new Promise((resolve, reject) => conn[protocol](sql, params, (err, result) => (err ? reject(err) : resolve(result))));
}

/**
 * One identified start with a new customer, as the api runs it: departmentalization off, entry point 1001 (dept 1, queue 1).
 * Returns the ids the api's answer carries; `marks` gets the outbox row once committed.
 */
async function oneStart(conn, email, app, marks) {
  const correlationId = randomUUID();
  const conversationId = randomUUID();
  // The api's answer time, which the conversation row stores.
  const createdAt = new Date();
  const key = contactLookupKey(EMAIL_ATTRIBUTE, email);
  // The start's transaction reads committed rows (TypeORM sets the level before each one).
  await send(conn, SQL.isolation);
  await send(conn, SQL.begin);
  try {
    const found = await send(conn, SQL.lookup, [EMAIL_ATTRIBUTE, key]);
    if (found.length !== 0) throw new Error(`floor customer ${email} exists`);
    // No customer: the creation lock of its contact point (scope 0, departmentalization off), then the search again.
    await send(conn, SQL.creationLock, [creationLockBucket('0', EMAIL_ATTRIBUTE, key)]);
    const foundOnceLocked = await send(conn, SQL.lookup, [EMAIL_ATTRIBUTE, key]);
    if (foundOnceLocked.length !== 0) throw new Error(`floor customer ${email} exists`);
    const customer = await send(conn, SQL.customer, [null, 'individual', 'Bench', 'Floor', null]);
    const customerId = String(customer.insertId);
    await send(conn, SQL.contactPoint, [customerId, null, EMAIL_ATTRIBUTE, email, key, '0']);
    const kase = await send(conn, SQL.customerCase, [customerId, '1', null]);
    const caseId = String(kase.insertId);
    const clientInfo = JSON.stringify({ timeOffset: undefined, referrerName: undefined, referrerURL: undefined });
    const activity = await send(conn, SQL.activity, [caseId, customerId, app, '1001', '1', conversationId, null, null, null, clientInfo, null, 1, 0]);
    const activityId = String(activity.insertId);
    await send(conn, SQL.conversation, [conversationId, activityId, app, correlationId, createdAt]);
    const outbox = await send(conn, SQL.outbox, ['assignment/assign-activity', `assign:${activityId}`, JSON.stringify({ activityId, correlationId })]);
    await send(conn, SQL.commit);
    marks.add(String(outbox.insertId));
    return { conversationId, activityId };
  } catch (err) {
    await send(conn, { protocol: 'query', sql: 'ROLLBACK' }).catch(() => undefined);
    throw err;
  }
}

/**
 * The api marks the outbox rows its fast path delivered relayed, in one UPDATE per 50 ms on
 * a pooled connection of its own: the same here, so that the floor's rows cost what the api's do.
 */
function relayedMarks(getConnection) {
  let pending = [];
  let timer;
  const inFlight = new Set();
  const flush = () => {
    timer = undefined;
    const ids = pending;
    pending = [];
    if (ids.length === 0) return;
    const done = (async () => {
      const conn = await getConnection();
      try {
        await send(conn, { protocol: SQL.relayed.protocol, sql: SQL.relayed.sql(ids.length) }, ids);
      } finally {
        conn.release();
      }
    })().catch((err) => console.error(`floor: could not mark outbox rows relayed: ${err.message}`));
    inFlight.add(done);
    done.finally(() => inFlight.delete(done));
  };
  return {
    add(id) {
      pending.push(id);
      timer ??= setTimeout(flush, RELAYED_MARK_FLUSH_MS);
    },
    /** Marks what is pending now and waits for every flush under way. */
    async drain() {
      if (timer) clearTimeout(timer);
      flush();
      await Promise.all(inFlight);
    },
  };
}

/**
 * A mysql2 pool with the options TypeORM gives mysql2 in the api (data-source-options.ts), the
 * same transport, every connection opened, and the relayed marks of its starts (`marks`).
 */
async function openPool({ config, database, poolSize }) {
  const mysql = require('mysql2');
  const { databaseEndpoint, UTC_SESSION } = requireDist('platform/database/data-source-options.js');
  const pool = mysql.createPool({
    ...databaseEndpoint(config),
    user: config.DB_USER, password: config.DB_PASSWORD, database,
    charset: 'utf8mb4_bin', timezone: 'Z', dateStrings: false, supportBigNumbers: true, bigNumberStrings: true,
    connectionLimit: poolSize, maxIdle: poolSize, enableKeepAlive: true, trace: false,
  });
  pool.on('connection', (connection) => connection.query(UTC_SESSION, (err) => err && connection.destroy()));
  const getConnection = () => new Promise((resolve, reject) => pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
  const warm = await Promise.all(Array.from({ length: poolSize }, getConnection));
  for (const c of warm) c.release();
  const marks = relayedMarks(getConnection);
  const end = async () => {
    await marks.drain();
    await new Promise((resolve) => pool.end(resolve));
  };
  return { getConnection, marks, end };
}

/** `workers` loops, each taking a pooled connection per start, for `durationMs`. */
async function runFloor({ config, database, workers, durationMs, poolSize, clientApplicationId, tag }) {
  const pool = await openPool({ config, database, poolSize });
  const { getConnection, marks } = pool;

  const latencies = [];
  let errors = 0;
  let firstError;
  let n = 0;
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const deadline = started + durationMs;
  const loop = async () => {
    while (Date.now() < deadline) {
      const email = `floor.${tag}.${workers}.${n++}@bench.example`;
      const t0 = process.hrtime.bigint();
      const conn = await getConnection();
      try {
        await oneStart(conn, email, clientApplicationId, marks);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        errors++;
        firstError ??= err.message;
      } finally {
        conn.release();
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, loop));
  const elapsed = (Date.now() - started) / 1000;
  await marks.drain();
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length);
  await pool.end();
  return { workers, poolSize, ok: latencies.length, errors, firstError, rps: latencies.length / elapsed, cpuMs, ...summarize(latencies) };
}

module.exports = { runFloor, openPool, oneStart, SQL, START_STATEMENTS, RELAYED_MARK_FLUSH_MS };
