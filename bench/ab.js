#!/usr/bin/env node
'use strict';
// A/B of api builds on one database and one worker, for changes too small to see in req/s on
// a shared machine. Keep a copy of the build before a change (`cp -r dist /tmp/dist-before`),
// rebuild, then: node bench/ab.js /tmp/dist-before dist [--rounds=5] [--rate=150] [--saturate]
// A variant may carry node flags: "dist|--max-semi-space-size=32".
// Builds alternate (ABBA...) and each round starts a fresh api, warms it for 6 s, then measures
// api CPU per start at a fixed rate, sent at an even pace (and with --saturate, req/s at 32 connections).
const P = require('./lib/platform');
const { login, lastModified, workload, drive } = require('./lib/load');
const { cpuAtFixedRate } = require('./lib/fixed-rate');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const hit = args.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const variants = args.filter((a) => !a.startsWith('--'));
const ROUNDS = Number(option('rounds', 5));
const RATE = Number(option('rate', 150));
const SATURATE = args.includes('--saturate');

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mean = (a) => a.reduce((s, x) => s + x, 0) / a.length;

async function main() {
  if (variants.length !== 2) throw new Error('usage: node bench/ab.js <distA> <distB> [--rounds=5] [--rate=150] [--saturate]');
  const name = P.newName('ab');
  const env = P.baseEnv(name);
  const { db, credentials } = await P.createDatabase(name, env);
  const results = Object.fromEntries(variants.map((v) => [v, { cpu: [], rps: [] }]));
  try {
    await P.startWorker(env, db);
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of round % 2 ? [...variants].reverse() : variants) {
        const [dir, flags] = v.split('|');
        const api = await P.startApi(env, {}, flags ? flags.split(' ') : [], `${dir}/src/main.js`);
        const token = await login(api.baseUrl, credentials);
        const lastModifiedDate = await lastModified(api.baseUrl, token);
        const load = () => workload('identified-json', { token, lastModifiedDate, tag: `${name}_${round}_${variants.indexOf(v)}` });
        await drive(api.baseUrl, load(), { connections: 32, duration: 6 });
        const fixed = await cpuAtFixedRate(api.baseUrl, api.pid, load(), { rate: RATE, duration: 5 });
        const cpu = fixed.cpuMs;
        const sat = SATURATE ? await drive(api.baseUrl, load(), { connections: 32, duration: 5 }) : undefined;
        results[v].cpu.push(cpu);
        if (sat) results[v].rps.push(sat.rps);
        console.log(`round ${round} ${v}: api CPU ${cpu.toFixed(3)} ms/start at ${Math.round(fixed.rps)}/s${sat ? `; ${Math.round(sat.rps)} req/s at 32 connections` : ''}`);
        await P.stopProcess(api);
      }
    }
    for (const v of variants) {
      const r = results[v];
      console.log(`${v}: CPU ms/start median ${median(r.cpu).toFixed(3)} mean ${mean(r.cpu).toFixed(3)}${r.rps.length ? `; req/s@32 median ${Math.round(median(r.rps))}` : ''}`);
    }
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
