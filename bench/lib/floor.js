'use strict';
// The floor: the statements of one identified start (new customer), copied from the
// repositories the start use case calls, sent straight through a mysql2 pool with no
// HTTP, no Nest, no TypeORM. What the api reaches is measured against this.
const { createHash, randomUUID } = require('node:crypto');
const { summarize } = require('./stats');
const { requireDist } = require('./platform');

// Same SQL text as src/modules/customer/infrastructure/mysql-customer.repository.ts,
// src/modules/case/infrastructure/mysql-case.repository.ts,
// src/modules/conversation/infrastructure/mysql-conversation.repository.ts and
// src/platform/outbox/mysql-outbox.ts, sent the same way: prepared, except the contact point
// insert and the creation lock, whose texts vary with the number of contact points.
const SQL = {
  lookup: 'SELECT DISTINCT customer_id FROM contact_point WHERE attribute = ? AND normalized_value = ? LIMIT 2',
  creationLock: 'INSERT INTO contact_point_lock (bucket) VALUES (?) ON DUPLICATE KEY UPDATE bucket = bucket',
  customer: 'INSERT INTO customer (department_id, type, first_name, last_name, custom_attributes, created_at) VALUES (?, ?, ?, ?, ?, NOW(3))',
  contactPoint: 'INSERT INTO contact_point (customer_id, department_id, attribute, value, normalized_value, lookup_scope) VALUES (?, ?, ?, ?, ?, ?)',
  customerCase: 'INSERT INTO customer_case (customer_id, department_id, subject, created_at) VALUES (?, ?, ?, NOW(3))',
  activity: `INSERT INTO activity (case_id, customer_id, client_application_id, entry_point_id, queue_id, conversation_id, state, subject,
         contact_attribute, contact_value, client_info, custom_attributes, rich_text, typing_notifications, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
  conversation: 'INSERT INTO conversation (id, activity_id, client_application_id, correlation_id, created_at) VALUES (?, ?, ?, ?, NOW(3))',
  outbox: 'INSERT INTO outbox (topic, job_id, payload, created_at) VALUES (?, ?, ?, NOW(3))',
};

const EMAIL_ATTRIBUTE = 'email.emailAddress';

function query(conn, sql, params) {
  return new Promise((resolve, reject) => conn.query(sql, params, (err, result) => (err ? reject(err) : resolve(result))));
}

/** As `preparedQuery` (src/platform/database/prepared-query.ts) sends the statements it runs. */
function execute(conn, sql, params) {
  return new Promise((resolve, reject) => conn.execute(sql, params, (err, result) => (err ? reject(err) : resolve(result))));
}

/**
 * One identified start with a new customer, as the api runs it: departmentalization off, entry point 1001 (dept 1, queue 1).
 * Returns the ids the api's answer carries.
 */
async function oneStart(conn, email, app) {
  const correlationId = randomUUID();
  const conversationId = randomUUID();
  const normalized = email.trim().normalize('NFC').toLowerCase();
  // The start's transaction reads committed rows (TypeORM sets the level before each one).
  await query(conn, 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
  await query(conn, 'START TRANSACTION');
  try {
    const found = await execute(conn, SQL.lookup, [EMAIL_ATTRIBUTE, normalized]);
    if (found.length !== 0) throw new Error(`floor customer ${email} exists`);
    // No customer: the creation lock of its contact point (scope 0, departmentalization off), then the search again.
    const bucket = createHash('sha256').update(`0\u0000${EMAIL_ATTRIBUTE}\u0000${normalized}`, 'utf8').digest().readUInt16BE(0);
    await query(conn, SQL.creationLock, [bucket]);
    const foundOnceLocked = await execute(conn, SQL.lookup, [EMAIL_ATTRIBUTE, normalized]);
    if (foundOnceLocked.length !== 0) throw new Error(`floor customer ${email} exists`);
    const customer = await execute(conn, SQL.customer, [null, 'individual', 'Bench', 'Floor', null]);
    const customerId = String(customer.insertId);
    await query(conn, SQL.contactPoint, [customerId, null, EMAIL_ATTRIBUTE, email, normalized, '0']);
    const kase = await execute(conn, SQL.customerCase, [customerId, '1', null]);
    const caseId = String(kase.insertId);
    const clientInfo = JSON.stringify({ timeOffset: undefined, referrerName: undefined, referrerURL: undefined });
    const activity = await execute(conn, SQL.activity, [caseId, customerId, app, '1001', '1', conversationId, null, null, null, clientInfo, null, 1, 0]);
    const activityId = String(activity.insertId);
    await execute(conn, SQL.conversation, [conversationId, activityId, app, correlationId]);
    await execute(conn, SQL.outbox, ['assignment/assign-activity', `assign:${activityId}`, JSON.stringify({ activityId, correlationId })]);
    await query(conn, 'COMMIT');
    return { conversationId, activityId };
  } catch (err) {
    await query(conn, 'ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** A mysql2 pool with the options TypeORM gives mysql2 in the api (data-source-options.ts), the same transport, every connection opened. */
async function openPool({ config, database, poolSize }) {
  const mysql = require('mysql2');
  const { databaseEndpoint } = requireDist('platform/database/data-source-options.js');
  const pool = mysql.createPool({
    ...databaseEndpoint(config),
    user: config.DB_USER, password: config.DB_PASSWORD, database,
    charset: 'utf8mb4_bin', timezone: 'Z', dateStrings: false, supportBigNumbers: true, bigNumberStrings: true,
    connectionLimit: poolSize, maxIdle: poolSize, enableKeepAlive: true,
  });
  const getConnection = () => new Promise((resolve, reject) => pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
  const warm = await Promise.all(Array.from({ length: poolSize }, getConnection));
  for (const c of warm) c.release();
  return { getConnection, end: () => new Promise((resolve) => pool.end(resolve)) };
}

/** `workers` loops, each taking a pooled connection per start, for `durationMs`. */
async function runFloor({ config, database, workers, durationMs, poolSize, clientApplicationId, tag }) {
  const pool = await openPool({ config, database, poolSize });
  const { getConnection } = pool;

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
        await oneStart(conn, email, clientApplicationId);
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
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length);
  await pool.end();
  return { workers, poolSize, ok: latencies.length, errors, firstError, rps: latencies.length / elapsed, cpuMs, ...summarize(latencies) };
}

module.exports = { runFloor, openPool, oneStart, SQL };
