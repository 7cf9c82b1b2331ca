/**
 * Fault tests: each runs its own MariaDB or Redis instance and kills it; `npm run test:faults`
 * runs them one at a time, `npm test` beside the e2e files (`npm run test:services`: two files at
 * a time from both, which a fault file tolerates as well as an e2e file does, its servers being
 * its own).
 */
const base = require('../jest-e2e.config.js');
module.exports = { ...base, rootDir: '../..', testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'], setupFilesAfterEnv: ['<rootDir>/test/faults/fault-timeout.ts'] };
