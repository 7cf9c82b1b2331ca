import { request } from 'node:http';
import { clientOf, customerWithEmail, startDocument, uniqueEmail } from './support/client';
import { freePort } from './support/operations';
import { type RunningProcess, Stack, stopProcess, waitFor } from './support/stack';

const PER_CUSTOMER = 3;
const WINDOW_MS = 60000;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** A POST on a connection of its own, so that the cluster hands each start to the next api process. */
function postOnNewConnection(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { ...headers, Accept: 'application/json', 'Content-Type': 'application/json', Connection: 'close', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, code: text ? (JSON.parse(text) as { code?: string }).code : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * With API_PROCESSES > 1 the start throttle counts in Redis by default (START_THROTTLE_STORE
 * unset): two api processes grant a customer its starts once together, where counters in each
 * process's memory would let each grant the whole limit; a second api host set to redis counts
 * with them.
 */
describe('start throttling across api processes and hosts', () => {
  let stack: Stack;
  let secondHost: RunningProcess | undefined;

  beforeAll(async () => {
    stack = await Stack.start({
      agentCapacity: 100,
      env: {
        API_PROCESSES: '2',
        // "api listening" is an info line: it tells when both processes take connections.
        LOG_LEVEL: 'info',
        START_THROTTLE_LIMIT_PER_CUSTOMER: String(PER_CUSTOMER),
        START_THROTTLE_WINDOW_MS: String(WINDOW_MS),
      },
    });
    await waitFor(async () => stack.api.output.filter((line) => line.includes('"api listening"')).length === 2, 30000);
  });

  afterAll(async () => {
    if (secondHost) await stopProcess(secondHost, 'SIGTERM');
    await stack?.stop();
  });

  /** The pids of the api processes that refused a start of this customer. */
  function refusingPids(key: string): Set<number> {
    const pids = new Set<number>();
    for (const line of stack.api.output) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg === 'rate limit reached' && typeof entry.key === 'string' && entry.key.includes(key)) pids.add(entry.pid as number);
    }
    return pids;
  }

  const startUrl = (baseUrl: string) => `${baseUrl}/system/ws/v19/clientapplications/messaging/conversation/start?searchContactOnAttribute=email.emailAddress`;

  it("one customer's starts count together, whichever process answers them", async () => {
    const { token, lm } = await clientOf(stack);
    const email = uniqueEmail('shared');
    const body = JSON.stringify(startDocument(lm, { customer: customerWithEmail(email) }));
    const answers: Answer[] = [];
    for (let i = 0; i < 2 * PER_CUSTOMER; i++) answers.push(await postOnNewConnection(startUrl(stack.baseUrl), { Authorization: `Bearer ${token}` }, body));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429]);
    for (const refused of answers.slice(PER_CUSTOMER)) {
      expect(refused.code).toBe('429-101');
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);
    }
    // Both processes refused: in-process counters would each have been below the limit.
    expect(refusingPids(email.toLowerCase()).size).toBe(2);
    const keys = await stack.redis.keys(`${stack.env.REDIS_PREFIX}:rate-limit:start-per-customer:*`);
    expect(keys).toHaveLength(1);
  });

  it('a second api host with START_THROTTLE_STORE=redis counts with the first', async () => {
    const port = await freePort();
    secondHost = stack.spawn('dist/src/main.js', { HTTP_PORT: String(port), API_PROCESSES: '1', START_THROTTLE_STORE: 'redis' });
    const host = secondHost;
    const secondUrl = `http://127.0.0.1:${port}`;
    await waitFor(async () => {
      if (host.child.exitCode !== null) throw new Error(`second api exited (${host.child.exitCode}):\n${host.output.slice(-20).join('\n')}`);
      return fetch(`${secondUrl}/`).then(() => true, () => false);
    }, 30000);
    const { token, lm } = await clientOf(stack);
    const body = JSON.stringify(startDocument(lm, { customer: customerWithEmail(uniqueEmail('hosts')) }));
    const hosts = [stack.baseUrl, secondUrl];
    const statuses: number[] = [];
    for (let i = 0; i < PER_CUSTOMER + 2; i++) statuses.push((await postOnNewConnection(startUrl(hosts[i % 2]), { Authorization: `Bearer ${token}` }, body)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});
