import { clientOf, customerWithEmail, start, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';

/**
 * More simultaneous starts than database connections, with every cached setting expired
 * (the stack runs with CONFIG_CACHE_TTL_MS=0): a start must never need a second pooled
 * connection while its transaction holds one, or the api stalls for good.
 */
describe('start conversation with a small connection pool', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { DB_POOL_SIZE: '2' }, agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 12 simultaneous identified starts on 2 connections', async () => {
    const starts = Promise.all(Array.from({ length: 12 }, () =>
      start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('pool')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' })));
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      timer = setTimeout(() => resolve('stalled'), 15000);
    });
    const outcome = await Promise.race([starts, stalled]);
    clearTimeout(timer);
    expect(outcome).not.toBe('stalled');
    expect((outcome as { status: number }[]).map((r) => r.status)).toEqual(Array(12).fill(200));
  });
});
