/**
 * Loaded into an api or worker process by a test (NODE_OPTIONS="--require …"), never by the
 * platform: on SIGUSR2 the process meets an error nothing catches, outside any request or job, as a
 * timer of a library would. CRASH_WITH says how: `rejection` (a promise nobody awaits) or
 * `exception` (a throw). The error is a statement refused for a duplicate e-mail address, as TypeORM
 * throws it: the address is in its message, its parameters and its statement's text (the same
 * error as duplicateEntry() in duplicate-entry.ts, which a preload cannot import).
 *
 * CRASH_AT=first-heartbeat: the same error, without a signal, while a worker's first heartbeat is
 * under way (its statement sent, its answer awaited): the worker is starting, its heartbeat
 * started, and its start-up has not come back to src/worker.ts yet.
 */
const { DataSource, QueryFailedError } = require('typeorm');

function crash() {
  setTimeout(() => {
    const driverError = Object.assign(new Error("Duplicate entry 'ada@example.com' for key 'ux_contact_point_key'"), {
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      sql: "INSERT INTO contact_point (value) VALUES ('ada@example.com')",
    });
    const err = new QueryFailedError('INSERT INTO contact_point (value) VALUES (?)', ['ada@example.com'], driverError);
    if (process.env.CRASH_WITH === 'exception') throw err;
    void Promise.reject(err);
  }, 0);
}

process.on('SIGUSR2', crash);

if (process.env.CRASH_AT === 'first-heartbeat') {
  const query = DataSource.prototype.query;
  let crashed = false;
  DataSource.prototype.query = function (sql, ...rest) {
    if (!crashed && typeof sql === 'string' && sql.includes('INSERT INTO worker_heartbeat')) {
      crashed = true;
      crash();
    }
    return query.call(this, sql, ...rest);
  };
}
