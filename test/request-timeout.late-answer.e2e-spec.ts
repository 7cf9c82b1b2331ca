import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { lastModified, login, start, startDocument } from './support/client';
import { Stack, waitFor, waitForOutput } from './support/stack';

/**
 * A start answered 503 at REQUEST_TIMEOUT_MS while its transaction waits on a lock: the work
 * still commits (and is assigned) once the lock goes, and its late answer, which has nowhere
 * to go, is logged as a warning rather than as an internal error.
 */
describe('a request answered 503 at REQUEST_TIMEOUT_MS whose work finishes later', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { REQUEST_TIMEOUT_MS: '500' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 503-101 with Retry-After, commits the work, and logs the late answer as a warning, not an error', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.query('LOCK TABLES outbox WRITE');
    let answer: Awaited<ReturnType<typeof start>>;
    try {
      answer = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    } finally {
      await runner.query('UNLOCK TABLES');
      await runner.release();
    }
    // 503-101 tells the client to come back, and when: Retry-After as for any unreachable dependency.
    expect([answer.status, answer.body.code, answer.headers.get('retry-after')]).toEqual([503, ERROR_CATALOGUE.ServiceUnavailable.code, '5']);
    await waitForOutput(stack.api, /request finished after its answer was sent/);
    await waitFor(async () => (await stack.db.query("SELECT 1 FROM activity WHERE state = 'assigned'")).length === 1);
    expect(stack.api.output.filter((line) => /unhandled error/.test(line))).toEqual([]);
  });
});
