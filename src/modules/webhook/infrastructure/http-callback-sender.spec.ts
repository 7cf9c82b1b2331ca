import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../../platform/config/app-config';
import type { CallbackRequest } from '../application/callback-sender';
import { HttpCallbackSender } from './http-callback-sender';
import { OAuth2TokenCache } from './oauth2-token-cache';

/**
 * A receiver behind an OAuth2 token endpoint on 127.0.0.1: each token is new, and the callback
 * answers the status the test sets.
 */
describe('HttpCallbackSender with OAuth2', () => {
  let server: Server;
  let base: string;
  let issued = 0;
  let callbackStatus = 200;
  const bearers: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/token') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: `token-${++issued}`, expires_in: 3600 }));
          return;
        }
        bearers.push(String(req.headers.authorization));
        res.writeHead(callbackStatus);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  beforeEach(() => {
    bearers.length = 0;
    callbackStatus = 200;
  });

  const request = (): CallbackRequest => ({
    settings: {
      clientApplicationId: '1', url: `${base}/hook`, format: 'json', signingSecret: 'whsec_c2VjcmV0', previousSigningSecret: null, state: 'active', consecutiveFailures: 0,
      authentication: { type: 'oauth2', tokenUrl: `${base}/token`, clientId: 'hooks', clientSecret: 's3cret' },
    },
    id: 'batch-1',
    messages: [],
  });
  const sender = () => new HttpCallbackSender(new OAuth2TokenCache(), { WEBHOOK_TIMEOUT_MS: 3000, CALLBACK_BLOCK_PRIVATE_ADDRESSES: 'false' } as AppConfig);

  it('sends a request again at once with a fresh token when the receiver refuses the token it had kept', async () => {
    const s = sender();
    expect(await s.send(request())).toEqual({ kind: 'response', status: 200 });
    callbackStatus = 401;
    const before = issued;
    expect(await s.send(request())).toEqual({ kind: 'response', status: 401 });
    expect(bearers).toEqual([`Bearer token-${before}`, `Bearer token-${before}`, `Bearer token-${before + 1}`]);
  });

  it('leaves a 401 to a fresh token to the backoff, and asks for another token next time', async () => {
    const s = sender();
    callbackStatus = 401;
    const before = issued;
    expect(await s.send(request())).toEqual({ kind: 'response', status: 401 });
    expect(bearers).toEqual([`Bearer token-${before + 1}`]);
    expect(issued).toBe(before + 1);
    callbackStatus = 200;
    expect(await s.send(request())).toEqual({ kind: 'response', status: 200 });
    expect(bearers.at(-1)).toBe(`Bearer token-${before + 2}`);
  });
});
