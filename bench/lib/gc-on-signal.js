'use strict';
// Preloaded into the api of the memory section (with --expose-gc): SIGWINCH runs a full
// garbage collection, so that VmRSS read afterwards shows what the process retains rather
// than how much garbage happened to be waiting for the next collection.
process.on('SIGWINCH', () => {
  global.gc();
  process.stderr.write(`bench: gc done ${Date.now()}\n`);
});
