#!/usr/bin/env node
'use strict';
// `npm run bench:profile` — CPU profile of the api under the identified JSON load at 32
// connections: `node --cpu-prof dist/src/main.js` plus a worker on a fresh bench database,
// then the top self-time functions. Options: --duration=S (10), --connections=N (32),
// --workload=identified-json|anonymous-json|identified-xml, --top=N (40), --target=api|worker,
// --starts-only (the worker paused during the measured load, as in the bench's "starts only" runs).
const { mkdirSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const P = require('./lib/platform');
const { login, lastModified, workload, drive } = require('./lib/load');
const { summarizeProfile } = require('./cpu-profile-summary');

const option = (name, fallback) => {
  const hit = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const DURATION = Number(option('duration', 10));
const CONNECTIONS = Number(option('connections', 32));
const KIND = option('workload', 'identified-json');
const TOP = Number(option('top', 40));
const TARGET = option('target', 'api');
const STARTS_ONLY = process.argv.includes('--starts-only');

async function main() {
  const name = P.newName('prof');
  const env = P.baseEnv(name);
  const dir = join(__dirname, 'tmp', `profile-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const { db, credentials } = await P.createDatabase(name, env);
  try {
    // --cpu-prof writes its file when the process exits normally; the preload turns SIGUSR2 into process.exit.
    const profiling = ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--require', join(__dirname, 'lib', 'exit-on-sigusr2.js')];
    const worker = await P.startWorker(env, db, TARGET === 'worker' ? profiling : []);
    const api = await P.startApi(env, {}, TARGET === 'api' ? profiling : []);
    const profiled = TARGET === 'worker' ? worker : api;
    const token = await login(api.baseUrl, credentials);
    const lastModifiedDate = await lastModified(api.baseUrl, token);
    const load = () => workload(KIND, { token, lastModifiedDate, tag: name });
    await drive(api.baseUrl, load(), { connections: CONNECTIONS, duration: 2 }); // warm-up, in the profile too
    const loadStarted = Date.now();
    const cpuBefore = P.cpuSeconds(profiled.pid);
    if (STARTS_ONLY) worker.child.kill('SIGSTOP');
    const r = await drive(api.baseUrl, load(), { connections: CONNECTIONS, duration: DURATION });
    if (STARTS_ONLY) worker.child.kill('SIGCONT');
    if (TARGET === 'worker') await new Promise((resolve) => setTimeout(resolve, 1000)); // let the assignments finish
    const cpuMs = ((P.cpuSeconds(profiled.pid) - cpuBefore) * 1000) / Math.max(1, r.ok);
    console.log(`${KIND}@${CONNECTIONS}: ${Math.round(r.rps)} req/s p50 ${r.p50} p99 ${r.p99} non-2xx ${r.non2xx} ${JSON.stringify(r.statuses)} errors ${r.errors}, ${TARGET} CPU ${cpuMs.toFixed(2)} ms/start`);
    const exited = new Promise((resolve) => profiled.child.once('exit', resolve));
    const loadMs = Date.now() - loadStarted;
    profiled.child.kill('SIGUSR2');
    await exited;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${dir}`);
    const summary = summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), TOP, loadMs);
    writeFileSync(join(dir, 'summary.txt'), summary);
    console.log(`${summary}\n\nprofile: ${join(dir, file)}`);
  } finally {
    await P.stopAll();
    await P.dropDatabase(db, name);
    await P.deleteRedisPrefix(env.REDIS_PREFIX);
  }
}

main().catch((err) => {
  console.error(err.stack || err.message);
  P.stopAll().finally(() => process.exit(1));
});
