#!/usr/bin/env node
// `npm start`: install, build, create the database if needed, migrate, seed the demo data
// when the database is empty, then run one api and one worker until Ctrl-C.
const { execSync, spawn } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { parseEnv } = require('node:util');

const root = join(__dirname, '..');
const run = (cmd) => execSync(cmd, { cwd: root, stdio: 'inherit' });

require('./ensure-installed');
run('npm run -s build');
run('node scripts/create-database.js');
run('npm run -s migration:run');
run('npm run -s seed');

// The worker's metrics (assignment latency, webhook failures) and health are served only on
// its health port: give it one unless the environment or .env chooses.
const dotenv = existsSync(join(root, '.env')) ? parseEnv(readFileSync(join(root, '.env'), 'utf8')) : {};
const workerEnv = { ...process.env };
if (workerEnv.WORKER_HEALTH_PORT === undefined && dotenv.WORKER_HEALTH_PORT === undefined) workerEnv.WORKER_HEALTH_PORT = '3001';
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
