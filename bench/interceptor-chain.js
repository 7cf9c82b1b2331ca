#!/usr/bin/env node
'use strict';
// `npm run bench:interceptors` — CPU per request of Nest's interceptor chain (pass-through
// interceptors, as on the start route) with Node's AsyncResource bind and with the api's lean
// bind (src/platform/runtime/lean-async-resource-bind.ts). In-process, no I/O: each variant
// runs in a child of its own because the lean bind replaces Node's for the whole process.
// Prints a table and writes it to bench/interceptor-chain.md (the npm script builds first).
const { execFileSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');

const COUNTS = [0, 1, 2, 4, 5];
const ROUNDS = 30000;

async function child(variant) {
  require('reflect-metadata');
  if (variant === 'lean') require('../dist/src/platform/runtime/lean-async-resource-bind').installLeanAsyncResourceBind();
  const { InterceptorsConsumer } = require('@nestjs/core/interceptors/interceptors-consumer');
  const { lastValueFrom } = require('rxjs');
  const consumer = new InterceptorsConsumer();
  const passThrough = { intercept: (context, next) => next.handle() };
  const perCall = async (count, n) => {
    const interceptors = Array.from({ length: count }, () => passThrough);
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const result = await consumer.intercept(interceptors, [{}, {}, () => undefined], {}, () => undefined, async () => 1, 'http');
      // With no interceptor Nest hands back the handler's own promise.
      if (result && typeof result.subscribe === 'function') await lastValueFrom(result);
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  const out = {};
  for (const count of COUNTS) {
    await perCall(count, ROUNDS / 5); // warm-up: JIT
    out[count] = await perCall(count, ROUNDS);
  }
  process.stdout.write(JSON.stringify(out));
}

function main() {
  const run = (variant) => JSON.parse(execFileSync(process.execPath, [__filename, '--child', variant]).toString());
  const [node, lean] = [run('node'), run('lean')];
  const rows = COUNTS.map((c) => `| ${c} | ${node[c].toFixed(1)} | ${lean[c].toFixed(1)} |`);
  const text = [
    '# Nest interceptor chain: CPU µs per request',
    '',
    `${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version}, ${ROUNDS.toLocaleString('en-US')} calls per point after a warm-up, pass-through interceptors (\`bench/interceptor-chain.js\`).`,
    '',
    "| interceptors | Node's AsyncResource bind | lean bind (the api's) |",
    '|---|---|---|',
    ...rows,
    '',
    'The start route runs three (wire format, idempotency, Location; nestjs-i18n\'s interceptor is not installed, `platform/http/catalogue-module.ts`); Nest binds once per interceptor and once for the handler.',
    '',
  ].join('\n');
  console.log(text);
  writeFileSync(join(__dirname, 'interceptor-chain.md'), text);
}

if (process.argv[2] === '--child') child(process.argv[3]).catch((err) => { console.error(err); process.exit(1); });
else main();
