/** Fault tests: each runs its own MariaDB or Redis instance and kills it; `npm run test:faults`. */
const base = require('../jest-e2e.config.js');
module.exports = { ...base, rootDir: '../..', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'], testTimeout: 180000 };
