import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { clientOf, customerWithEmail, start, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';
import { settledRowCounts } from './support/ws-error';

/** One misbehaving widget cannot flood the agents: starts are limited per customer identifier and per application. */
describe('start throttling', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { START_THROTTLE_WINDOW_MS: '60000', START_THROTTLE_LIMIT_PER_CUSTOMER: '3', START_THROTTLE_LIMIT_PER_APPLICATION: '10' }, agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const query = 'searchContactOnAttribute=email.emailAddress';

  it('refuses the fourth start for one customer within the window with 429 and Retry-After, writing nothing', async () => {
    const email = uniqueEmail('flood');
    for (let i = 0; i < 3; i++) expect((await start(stack, startDocument(lm, { customer: customerWithEmail(email) }), { token, query })).status).toBe(200);
    const before = await settledRowCounts(stack);
    // The same customer written differently is the same identifier.
    const res = await start(stack, startDocument(lm, { customer: customerWithEmail(email.toUpperCase()) }), { token, query });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe(ERROR_CATALOGUE.TooManyRequests.code);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await stack.rowCounts()).toEqual(before);
    // Another customer of the same application is not held back by this one.
    expect((await start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('other')) }), { token, query })).status).toBe(200);
  });

  it("does not let a customer's refused starts use up the application's allowance", async () => {
    // 4 starts so far in this window (the refused one did not start anything, so it does not count).
    const email = uniqueEmail('flood-on');
    for (let i = 0; i < 3; i++) expect((await start(stack, startDocument(lm, { customer: customerWithEmail(email) }), { token, query })).status).toBe(200);
    for (let i = 0; i < 10; i++) expect((await start(stack, startDocument(lm, { customer: customerWithEmail(email) }), { token, query })).status).toBe(429);
    // 7 started: the flood refused by the customer limit leaves the other customers the rest.
    for (let i = 0; i < 3; i++) expect((await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' })).status).toBe(200);
  });

  it('refuses starts beyond the per-application limit', async () => {
    // 10 starts so far in this window: the limit of 10 is reached.
    const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(429);
    expect(res.body.code).toBe(ERROR_CATALOGUE.TooManyRequests.code);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});
