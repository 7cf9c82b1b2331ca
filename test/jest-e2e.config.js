/**
 * End-to-end tests: each file starts the built api and worker processes (dist/) against
 * its own MySQL database and Redis key prefix, and talks HTTP to them. `npm run test:e2e` runs
 * two files at a time (--maxWorkers=2): nothing is shared between files but the servers, and
 * checks wait for conditions rather than for time, so a busier machine makes them slower, not
 * wrong. On 2 cores that took the suite from 744 to 484–506 s.
 */
module.exports = {
  rootDir: '..',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  testEnvironment: 'node',
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
};
