import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2TokenCache } from './oauth2-token-cache';

/** A token endpoint on 127.0.0.1 answering whatever the test sets. */
function tokenEndpoint(answer: () => { status: number; body: string; headers?: Record<string, string> }): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
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
  const auth = () => ({ type: 'oauth2' as const, tokenUrl: endpoint.url, clientId: 'hooks', clientSecret: 's3cret' });

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
});
