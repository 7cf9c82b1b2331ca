#!/usr/bin/env node
// The part of `npm start` after the install and the build: create the database if needed,
// migrate, seed the demo data when the database is empty, run one api and one worker until
// Ctrl-C, and once both are ready show how to start a conversation.
const { execSync, spawn } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '..');
// Each step says why it failed on its own output; this process only stops with its exit code,
// without a stack trace of execSync's on top.
const run = (cmd) => {
  try {
    execSync(cmd, { cwd: root, stdio: 'inherit' });
  } catch (err) {
    process.exit(typeof err.status === 'number' && err.status !== 0 ? err.status : 1);
  }
};

run('node scripts/create-database.js');
// The migrations as the containers run them (one log line), not the TypeORM CLI's `npm run
// migration:run`, which prints every statement of every migration.
run('node dist/src/cli/migrate.js');
run('node dist/src/cli/seed.js --no-banner');

require('reflect-metadata');
const { configOrExit } = require('../dist/src/platform/config/config-or-exit');
const { loadEnvFile } = require('../dist/src/platform/config/load-env');
const { demoBanner, demoCredentials, readinessUrl, workerEnvironment } = require('../dist/src/cli/demo-banner');

// The settings as the api reads them (`.env`, the environment winning), for its address and the
// worker's health port; the processes below read the same file themselves.
loadEnvFile();
const config = configOrExit();
const ready = readinessUrl(config);

// The worker's metrics (assignment latency, webhook failures) and health are served only on
// its health port: give it one unless the environment or .env chooses.
const workerEnv = workerEnvironment(process.env);
const children = [
  spawn(process.execPath, [join(root, 'dist/src/main.js')], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, [join(root, 'dist/src/worker.js')], { cwd: root, stdio: 'inherit', env: workerEnv }),
];
let stopping = false;
const stop = (signal) => {
  stopping = true;
  for (const child of children) child.kill(signal);
};
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`a process exited with code ${code}; stopping the others`);
      stop('SIGTERM');
      process.exitCode = code || 1;
    }
  });
}

// The api is ready when MySQL and Redis answer and a worker's heartbeat is live: the banner
// comes after both processes' start-up lines, where it is seen.
(async () => {
  const started = Date.now();
  let told = false;
  while (!stopping) {
    // Bounded: something else on the port may take the connection and never answer.
    const status = await fetch(ready, { signal: AbortSignal.timeout(2000) }).then((res) => res.status, () => undefined);
    if (stopping) return;
    if (status === 200) {
      console.log(demoBanner(config, demoCredentials()));
      return;
    }
    if (!told && Date.now() - started > 30_000) {
      told = true;
      console.error(`Not ready after 30 s (${ready} answers ${status ?? 'nothing'}); the lines above say why. Still waiting.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
})();
