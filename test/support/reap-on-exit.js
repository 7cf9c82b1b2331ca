'use strict';
/**
 * Kills each child process handed to it, if it is still running, when this process exits. A stack
 * whose start outlives its hook on a loaded machine (Jest gives beforeAll 60 s, the database and
 * an api's start take longer) is left to finish after Jest has moved on; when the test process
 * then exits, its api and worker went on running, against a database already dropped, for as long
 * as the machine was up, slowing every test after them. Plain JavaScript, so that a test can load
 * it in a process of its own.
 */
const running = new Set();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** @param {import('node:child_process').ChildProcess} child */
function reapOnExit(child) {
  running.add(child);
  child.once('exit', () => running.delete(child));
}

module.exports = { reapOnExit };
