'use strict';
// Preloaded into the api of the memory section (with --expose-gc): SIGWINCH runs a full
// garbage collection, so that VmRSS read afterwards shows what the process retains rather
// than how much garbage happened to be waiting for the next collection. One collection is
// not enough: V8 keeps the pages it freed committed (heap total 128–224 MiB for 60 MiB in
// use, RSS 227–299 MiB from one point to the next); a second collection two seconds later
// and a second's wait let it give them back, and RSS then reads within 3 MiB at every point.
// The line also carries the heap in use after the collections (MiB), the leak signal proper.
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

process.on('SIGWINCH', async () => {
  global.gc();
  await settle(2000);
  global.gc();
  await settle(1000);
  process.stderr.write(`bench: gc done ${Date.now()} heapUsed=${(process.memoryUsage().heapUsed / 1048576).toFixed(1)}\n`);
});
