import { type Answer, loggingPids, postOnNewConnection, startSecondApiHost, startTwoProcessStack } from './support/api-hosts';
import { clientOf, customerWithEmail, startDocument, uniqueEmail } from './support/client';
import { type RunningProcess, type Stack, stopProcess } from './support/stack';
import { customerThrottleValue } from '../src/modules/conversation/interface/start-throttle-key';

const PER_CUSTOMER = 3;
const WINDOW_MS = 60000;

/**
 * With API_PROCESSES > 1 the start throttle counts in Redis by default (THROTTLE_STORE
 * unset): two api processes grant a customer its starts once together, where counters in each
 * process's memory would let each grant the whole limit; a second api host set to redis counts
 * with them.
 */
describe('start throttling across api processes and hosts', () => {
  let stack: Stack;
  let secondHost: RunningProcess | undefined;

  beforeAll(async () => {
    stack = await startTwoProcessStack({
      agentCapacity: 100,
      env: {
        START_THROTTLE_LIMIT_PER_CUSTOMER: String(PER_CUSTOMER),
        START_THROTTLE_WINDOW_MS: String(WINDOW_MS),
      },
    });
  });

  afterAll(async () => {
    if (secondHost) await stopProcess(secondHost, 'SIGTERM');
    await stack?.stop();
  });

  /** The pids of the api processes that refused a start of this customer. */
  const refusingPids = (key: string): Set<number> =>
    loggingPids(stack.api, (entry) => entry.msg === 'rate limit reached' && typeof entry.key === 'string' && entry.key.includes(key));

  const startUrl = (baseUrl: string) => `${baseUrl}/system/ws/v19/clientapplications/messaging/conversation/start?searchContactOnAttribute=email.emailAddress`;

  it("one customer's starts count together, whichever process answers them", async () => {
    const { token, lm } = await clientOf(stack);
    const email = uniqueEmail('shared');
    const body = JSON.stringify(startDocument(lm, { customer: customerWithEmail(email) }));
    const answers: Answer[] = [];
    for (let i = 0; i < 2 * PER_CUSTOMER; i++) answers.push(await postOnNewConnection(startUrl(stack.baseUrl), { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429]);
    for (const refused of answers.slice(PER_CUSTOMER)) {
      expect(refused.code).toBe('429-101');
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);
    }
    // Both processes refused: in-process counters would each have been below the limit.
    expect(refusingPids(customerThrottleValue('email.emailAddress', email)).size).toBe(2);
    const keys = await stack.redis.keys(`${stack.env.REDIS_PREFIX}:rate-limit:start-per-customer:*`);
    expect(keys).toHaveLength(1);
    // The application's counter has the customer's hash tag: one script's keys, one Redis Cluster slot.
    const tag = /\{[^}]*\}/.exec(keys[0])?.[0];
    expect(tag).toBeDefined();
    expect(await stack.redis.keys(`${stack.env.REDIS_PREFIX}:rate-limit:start-per-application:${tag}:*`)).toHaveLength(1);
  });

  it('a second api host with THROTTLE_STORE=redis counts with the first', async () => {
    const second = await startSecondApiHost(stack, { THROTTLE_STORE: 'redis' });
    secondHost = second.host;
    const secondUrl = second.baseUrl;
    const { token, lm } = await clientOf(stack);
    const body = JSON.stringify(startDocument(lm, { customer: customerWithEmail(uniqueEmail('hosts')) }));
    const hosts = [stack.baseUrl, secondUrl];
    const statuses: number[] = [];
    for (let i = 0; i < PER_CUSTOMER + 2; i++) statuses.push((await postOnNewConnection(startUrl(hosts[i % 2]), { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
