/**
 * Unit tests: beside the code, no services needed. `npm run test:unit` runs two files at a time:
 * Jest's default on 2 cores is one worker, and most of a file's time is loading its modules (on 2
 * cores 22–29 s against 41–46 s).
 */
module.exports = {
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
      module: { type: 'commonjs' },
    }],
  },
  testEnvironment: 'node',
};
