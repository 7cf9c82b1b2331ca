import { clientOf, http, start, startDocument, type HttpResult } from './support/client';
import { Stack } from './support/stack';

/**
 * Readiness says whether MySQL answers, not whether the process has a pooled connection free:
 * with every connection of the api's pool held by starts waiting on a lock, MySQL still answers
 * and the api is still ready.
 */
describe('readiness while every pooled connection is taken', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { DB_POOL_SIZE: '2' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('api: ready, MySQL up, while starts wait for the pool', async () => {
    const { token, lm } = await clientOf(stack);
    expect((await http(`${stack.baseUrl}/health/ready`)).status).toBe(200);
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.query('LOCK TABLES outbox WRITE');
    let ready: HttpResult;
    let starts: Promise<HttpResult[]>;
    try {
      // Two hold the pool's connections, waiting on the lock; the others wait for a connection.
      starts = Promise.all(Array.from({ length: 4 }, () => start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' })));
      await new Promise((r) => setTimeout(r, 1000));
      ready = await http(`${stack.baseUrl}/health/ready`);
    } finally {
      await runner.query('UNLOCK TABLES');
      await runner.release();
    }
    expect(ready.body.details.mysql).toEqual({ status: 'up' });
    expect(ready.status).toBe(200);
    expect((await starts).map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});
