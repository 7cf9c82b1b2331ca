#!/usr/bin/env node
// `npm start`: install, build, then create the database if needed, migrate, seed the demo data
// when the database is empty, and run one api and one worker until Ctrl-C (run-built.js).
const { execSync } = require('node:child_process');
const { join } = require('node:path');

require('./ensure-installed');
execSync('npm run -s build', { cwd: join(__dirname, '..'), stdio: 'inherit' });
require('./run-built');
