import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackAuthentication } from '../domain/callback-settings';
import { OAuth2TokenCache } from './oauth2-token-cache';

/** What the token endpoint was asked: its Authorization header and its form. */
const asked: { authorization?: string; form: string }[] = [];

/** A token endpoint on 127.0.0.1 answering whatever the test sets. */
function tokenEndpoint(answer: () => { status: number; body: string; headers?: Record<string, string> }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let form = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (form += chunk));
    req.on('end', () => {
      asked.push({ authorization: req.headers.authorization, form });
      const { status, body, headers } = answer();
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token` })));
}

describe('OAuth2TokenCache', () => {
  let endpoint: { url: string; server: Server };
  let answer: { status: number; body: string; headers?: Record<string, string> };
  const outbound = { timeoutMs: 5000, blockPrivateAddresses: false };
  const auth = (): Extract<CallbackAuthentication, { type: 'oauth2' }> => ({ type: 'oauth2', tokenUrl: endpoint.url, clientId: 'hooks', clientSecret: 's3cret' });

  beforeAll(async () => {
    endpoint = await tokenEndpoint(() => answer);
  });
  afterAll(() => new Promise((resolve) => endpoint.server.close(resolve)));

  it('takes a token of several kilobytes, as identity providers issue JWTs with many claims', async () => {
    const accessToken = `eyJ${'a'.repeat(12000)}`;
    answer = { status: 200, body: JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600 }) };
    await expect(new OAuth2TokenCache().token('1', auth(), outbound)).resolves.toEqual({ accessToken, fresh: true });
  });

  it('refuses an answer too large to be a token answer', async () => {
    answer = { status: 200, body: JSON.stringify({ access_token: 'x'.repeat(1024 * 1024) }) };
    await expect(new OAuth2TokenCache().token('1', auth(), outbound)).resolves.toEqual({
      failure: { kind: 'token', detail: 'answered more than 65536 bytes' },
    });
  });

  it('reports a refusal of the token endpoint as a failed token request, not as an answer of the receiver', async () => {
    answer = { status: 401, body: JSON.stringify({ error: 'invalid_client' }) };
    await expect(new OAuth2TokenCache().token('1', auth(), outbound)).resolves.toEqual({ failure: { kind: 'token', detail: 'HTTP 401', status: 401 } });
  });

  it('passes on the pause a busy token endpoint asks for with Retry-After', async () => {
    answer = { status: 429, body: JSON.stringify({ error: 'slow_down' }), headers: { 'retry-after': '30' } };
    await expect(new OAuth2TokenCache().token('1', auth(), outbound)).resolves.toEqual({ failure: { kind: 'token', detail: 'HTTP 429', status: 429, retryAfterMs: 30000 } });
  });

  it('refuses, without keeping or quoting it, an access_token that cannot go in an Authorization header', async () => {
    const cache = new OAuth2TokenCache();
    for (const accessToken of ['abc\ndef', 'abc def', 'abc\u00e9']) {
      answer = { status: 200, body: JSON.stringify({ access_token: accessToken, expires_in: 3600 }) };
      await expect(cache.token('1', auth(), outbound)).resolves.toEqual({ failure: { kind: 'token', detail: 'answered an access_token that cannot be sent as a Bearer credential' } });
    }
    // Nothing was kept: the next need asks the endpoint again.
    answer = { status: 200, body: JSON.stringify({ access_token: 'a-good.token~+/==', expires_in: 3600 }) };
    await expect(cache.token('1', auth(), outbound)).resolves.toEqual({ accessToken: 'a-good.token~+/==', fresh: true });
  });

  it('counts an answer without access_token as a failure', async () => {
    answer = { status: 200, body: JSON.stringify({ error: 'nothing' }) };
    await expect(new OAuth2TokenCache().token('1', auth(), outbound)).resolves.toEqual({ failure: { kind: 'token', detail: 'answered no access_token' } });
  });

  describe('keeping a token', () => {
    const start = Date.parse('2026-12-07T12:00:00Z');
    let now = start;
    beforeEach(() => {
      now = start;
      jest.spyOn(Date, 'now').mockImplementation(() => now);
    });
    afterEach(() => jest.restoreAllMocks());

    const tokenAt = async (cache: OAuth2TokenCache, secondsLater: number, settings = auth()) => {
      now = start + secondsLater * 1000;
      return cache.token('1', settings, outbound);
    };

    it('reuses a token until 30 s before it expires', async () => {
      const cache = new OAuth2TokenCache();
      answer = { status: 200, body: JSON.stringify({ access_token: 'hour', expires_in: 3600 }) };
      expect(await tokenAt(cache, 0)).toEqual({ accessToken: 'hour', fresh: true });
      answer = { status: 200, body: JSON.stringify({ access_token: 'next', expires_in: 3600 }) };
      expect(await tokenAt(cache, 3569)).toEqual({ accessToken: 'hour', fresh: false });
      expect(await tokenAt(cache, 3571)).toEqual({ accessToken: 'next', fresh: true });
    });

    it('reuses a token of less than a minute for half its life', async () => {
      const cache = new OAuth2TokenCache();
      answer = { status: 200, body: JSON.stringify({ access_token: 'short', expires_in: 40 }) };
      expect(await tokenAt(cache, 0)).toEqual({ accessToken: 'short', fresh: true });
      answer = { status: 200, body: JSON.stringify({ access_token: 'next', expires_in: 40 }) };
      expect(await tokenAt(cache, 19)).toEqual({ accessToken: 'short', fresh: false });
      expect(await tokenAt(cache, 21)).toEqual({ accessToken: 'next', fresh: true });
    });

    it('takes a token answered without expires_in for 300 s', async () => {
      const cache = new OAuth2TokenCache();
      answer = { status: 200, body: JSON.stringify({ access_token: 'unsaid' }) };
      expect(await tokenAt(cache, 0)).toEqual({ accessToken: 'unsaid', fresh: true });
      answer = { status: 200, body: JSON.stringify({ access_token: 'next' }) };
      expect(await tokenAt(cache, 269)).toEqual({ accessToken: 'unsaid', fresh: false });
      expect(await tokenAt(cache, 271)).toEqual({ accessToken: 'next', fresh: true });
    });

    it('asks again once the token settings change, not with a token got for the old ones', async () => {
      const cache = new OAuth2TokenCache();
      answer = { status: 200, body: JSON.stringify({ access_token: 'old-settings', expires_in: 3600 }) };
      expect(await tokenAt(cache, 0)).toEqual({ accessToken: 'old-settings', fresh: true });
      answer = { status: 200, body: JSON.stringify({ access_token: 'new-settings', expires_in: 3600 }) };
      expect(await tokenAt(cache, 1, { ...auth(), clientSecret: 'rotated' })).toEqual({ accessToken: 'new-settings', fresh: true });
      expect(await tokenAt(cache, 2, { ...auth(), scope: 'events' })).toEqual({ accessToken: 'new-settings', fresh: true });
    });
  });

  it('sends the client id and secret form-encoded, then as HTTP Basic credentials, with the grant and scope in the form (RFC 6749 2.3.1)', async () => {
    answer = { status: 200, body: JSON.stringify({ access_token: 't', expires_in: 3600 }) };
    asked.length = 0;
    await new OAuth2TokenCache().token('1', { ...auth(), clientId: 'hooks:1 é', clientSecret: 's/cret+%', scope: 'chat.events' }, outbound);
    expect(asked).toHaveLength(1);
    expect(Buffer.from(asked[0].authorization!.replace(/^Basic /, ''), 'base64').toString()).toBe('hooks%3A1%20%C3%A9:s%2Fcret%2B%25');
    expect(Object.fromEntries(new URLSearchParams(asked[0].form))).toEqual({ grant_type: 'client_credentials', scope: 'chat.events' });
  });
});
