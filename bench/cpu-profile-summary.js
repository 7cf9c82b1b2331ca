#!/usr/bin/env node
'use strict';
// Top self-time functions of a .cpuprofile (node --cpu-prof), and self time per package.
// Usage: node bench/cpu-profile-summary.js <file.cpuprofile> [top=30] [lastMs]
const { readFileSync } = require('node:fs');

/** `lastMs`: only the samples of the last lastMs milliseconds (the load, without the boot). */
function summarizeProfile(profile, top = 30, lastMs = Infinity) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  const from = profile.endTime - lastMs * 1000;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += deltas[i] || 0;
    if (t < from) continue;
    const id = profile.samples[i];
    self.set(id, (self.get(id) || 0) + (deltas[i] || 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id);
    const where = location(f.url);
    const key = `${f.functionName || '(anonymous)'}  ${where}${f.url ? `:${f.lineNumber + 1}` : ''}`;
    byFunction.set(key, (byFunction.get(key) || 0) + us);
    const pkg = packageOf(f);
    byPackage.set(pkg, (byPackage.get(pkg) || 0) + us);
  }
  // Inclusive time per function, leaving out idle and the socket-write natives (under load
  // those samples are mostly the process waiting to be scheduled again, not CPU).
  const notCpu = new Set(['(idle)', 'writeBuffer', 'writev', 'writeUtf8String']);
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const inclusive = new Map();
  let cpuTotal = 0;
  for (const [id, us] of self) {
    if (notCpu.has(byId.get(id).callFrame.functionName)) continue;
    cpuTotal += us;
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur).callFrame;
      if (!f.url) continue;
      const key = `${f.functionName || '(anonymous)'}  ${location(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) || 0) + us);
    }
  }
  const rows = (m) => [...m].sort((a, b) => b[1] - a[1]);
  const share = (whole) => ([name, us]) => `${((us / whole) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`;
  const line = ([name, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`;
  return [
    `total sampled ${(total / 1000).toFixed(0)} ms`,
    '', 'self time by package / area:', ...rows(byPackage).slice(0, 20).map(line),
    '', `top ${top} functions by self time:`, ...rows(byFunction).slice(0, top).map(line),
    '', `top ${top} application and library functions by inclusive time, idle and socket writes left out (${(cpuTotal / 1000).toFixed(0)} ms):`,
    ...rows(inclusive).filter(([k]) => !k.includes('node:')).slice(0, top).map(share(cpuTotal)),
  ].join('\n');
}

function location(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

function packageOf(f) {
  const url = f.url || '';
  if (!url) {
    if (['(garbage collector)', '(idle)', '(program)', '(root)'].includes(f.functionName)) return f.functionName;
    return '(native / V8 builtins)';
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith('node:') || !url.includes('/')) return '(node core)';
  const dist = url.indexOf('/dist/src/');
  if (dist >= 0) return `app: ${url.slice(dist + '/dist/src/'.length).split('/').slice(0, 2).join('/')}`;
  return url;
}

if (require.main === module) {
  const [file, top, lastMs] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/cpu-profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top || 30), Number(lastMs || Infinity)));
}

module.exports = { summarizeProfile };
