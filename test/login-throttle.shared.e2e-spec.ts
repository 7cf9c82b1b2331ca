import { createHash } from 'node:crypto';
import { type Answer, loggingPids, postOnNewConnection, startSecondApiHost, startTwoProcessStack } from './support/api-hosts';
import { type RunningProcess, type Stack, stopProcess } from './support/stack';

const PER_CLIENT = 4;
const PER_IP = 100;
const WINDOW_MS = 60000;

/**
 * The login throttle's counters are shared through Redis: two api processes (API_PROCESSES=2)
 * and a second api host on the same Redis and REDIS_PREFIX use up one allowance together,
 * where counters in each process's memory would let every process grant the whole limit.
 */
describe('login throttling across api processes and hosts', () => {
  let stack: Stack;
  let secondHost: RunningProcess | undefined;

  beforeAll(async () => {
    stack = await startTwoProcessStack({
      workers: 0,
      env: {
        LOGIN_THROTTLE_LIMIT_PER_CLIENT: String(PER_CLIENT),
        LOGIN_THROTTLE_LIMIT_PER_IP: String(PER_IP),
        LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS),
      },
    });
  });

  afterAll(async () => {
    if (secondHost) await stopProcess(secondHost, 'SIGTERM');
    await stack?.stop();
  });

  const tokenAttempt = (baseUrl: string, key: string, secret: string): Promise<Answer> =>
    postOnNewConnection(
      `${baseUrl}/system/ws/v19/clientapplications/authentication/oauth2/token`,
      { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      'grant_type=client_credentials',
    );

  const agentLogin = (baseUrl: string, username: string, password: string): Promise<Answer> =>
    postOnNewConnection(`${baseUrl}/system/ws/v19/agent/authentication/login`, { 'Content-Type': 'application/json' }, JSON.stringify({ username, password }));

  function expectThrottled(answer: Answer): void {
    expect(answer.status).toBe(429);
    expect(answer.code).toBe('429-101');
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);
  }

  it('API_PROCESSES=2: attempts for one client key count together, whichever process answers them', async () => {
    const { chatClientKey, chatClientSecret } = stack.credentials;
    // The client key is counted, and its refusals logged, under its digest (docs/operations.md, Login throttling).
    const digest = createHash('sha256').update(chatClientKey).digest('base64url');
    for (let i = 0; i < PER_CLIENT; i++) expect((await tokenAttempt(stack.baseUrl, chatClientKey, `guess-${i}`)).status).toBe(401);
    // Both processes took some of the attempts: in-process counters would each be below the limit now.
    expect(loggingPids(stack.api, (entry) => entry.msg === 'client application login refused' && entry.subjectDigest === digest).size).toBe(2);
    // The right secret, on either process, is over the limit.
    for (let i = 0; i < 2; i++) expectThrottled(await tokenAttempt(stack.baseUrl, chatClientKey, chatClientSecret));
    const keys = await stack.redis.keys(`${stack.env.REDIS_PREFIX}:login-throttle:*`);
    expect(keys.some((key) => key.includes(`client-application|subject|${digest}`))).toBe(true);
  });

  it('a second api host on the same Redis and REDIS_PREFIX counts with the first', async () => {
    const second = await startSecondApiHost(stack, {});
    secondHost = second.host;
    const secondUrl = second.baseUrl;
    const { agentPassword } = stack.credentials;
    const hosts = [stack.baseUrl, secondUrl];
    for (let i = 0; i < PER_CLIENT; i++) expect((await agentLogin(hosts[i % 2], 'alice', `guess-${i}`)).status).toBe(401);
    expectThrottled(await agentLogin(secondUrl, 'alice', agentPassword));
    expectThrottled(await agentLogin(stack.baseUrl, 'alice', agentPassword));
    // Another agent is not affected by alice's count.
    expect((await agentLogin(secondUrl, 'bob', agentPassword)).status).toBe(200);
  });
});
