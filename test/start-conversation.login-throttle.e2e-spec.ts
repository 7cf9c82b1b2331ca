import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { loginSubjectDigest } from '../src/platform/security/login-subject';
import { http, type HttpResult } from './support/client';
import { Stack } from './support/stack';
import { expectError } from './support/ws-error';

const PER_CLIENT = 3;
const PER_IP = 6;
const WINDOW_MS = 60000;

/**
 * Brute force on the login is throttled per client key and per source address: 429 with
 * Retry-After, a WSError, a log line; the right secret does not get through a blocked key.
 */
describe('start conversation: login throttling', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({
      workers: 0,
      env: { LOGIN_THROTTLE_LIMIT_PER_CLIENT: String(PER_CLIENT), LOGIN_THROTTLE_LIMIT_PER_IP: String(PER_IP), LOGIN_THROTTLE_WINDOW_MS: String(WINDOW_MS) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const attempt = (key: string, secret: string, accept = 'application/json'): Promise<HttpResult> =>
    http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: accept },
      body: 'grant_type=client_credentials',
    });

  function expectThrottled(res: HttpResult): void {
    expectError(res, 'TooManyRequests');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
  }

  it('blocks a client key after too many attempts, even with the right secret, and logs it', async () => {
    const { chatClientKey, chatClientSecret } = stack.credentials;
    for (let i = 0; i < PER_CLIENT; i++) expectError(await attempt(chatClientKey, `guess-${i}`), 'InvalidClientCredentials');
    expectThrottled(await attempt(chatClientKey, chatClientSecret));
    const xml = await attempt(chatClientKey, chatClientSecret, 'application/xml');
    expect(xml.xmlRoot).toBe('WSError');
    expect(xml.body.code).toBe(ERROR_CATALOGUE.TooManyRequests.code);
    // Named by the digest of the key, as its counter is: a key may be a secret typed into the wrong field.
    expect(stack.api.output.some((line) => /login throttled/.test(line) && line.includes(`"subjectDigest":"${loginSubjectDigest(chatClientKey)}"`) && !line.includes(chatClientKey))).toBe(true);
  });

  it('keeps other client keys usable until the address itself is over its limit', async () => {
    // The address has made PER_CLIENT + 2 attempts so far.
    const { otherClientKey, otherClientSecret } = stack.credentials;
    expect((await attempt(otherClientKey, otherClientSecret)).status).toBe(200);
    expectThrottled(await attempt(otherClientKey, otherClientSecret));
    expectThrottled(await attempt('someone-else', 'secret'));
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM session');
    expect(Number(n)).toBe(1);
  });
});
