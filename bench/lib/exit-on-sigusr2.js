'use strict';
// Preloaded into the api by bench/profile.js: SIGUSR2 ends the process through process.exit,
// the path on which `node --cpu-prof` writes its profile (a signal death would not).
process.on('SIGUSR2', () => process.exit(0));
