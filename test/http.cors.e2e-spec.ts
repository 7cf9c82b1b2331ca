import { clientOf, http, start, startDocument, type HttpResult } from './support/client';
import { Stack, stopProcess } from './support/stack';

const DESK = 'https://desk.example.com';
const WIDGET = 'http://localhost:8080';
const STRANGER = 'https://elsewhere.example.net';

/** The headers of CORS; with CORS_ORIGINS unset an answer carries none of them. */
function corsHeadersOf(res: HttpResult): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));
}

function listOf(value: string | null): string[] {
  return (value ?? '').split(',').map((v) => v.trim().toLowerCase()).filter(Boolean);
}

/** A browser's preflight for a start (POST with a bearer token, a JSON body and an Idempotency-Key). */
function preflight(stack: Stack, origin: string, path = '/ws/v19/clientapplications/messaging/conversation/start'): Promise<HttpResult> {
  return http(`${stack.contextUrl}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,idempotency-key',
      // What a browser sends on a preflight; the negotiation would refuse text/html with 406.
      Accept: 'text/html',
    },
  });
}

describe('CORS for browser applications on other origins', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { CORS_ORIGINS: `${DESK}, ${WIDGET}`, LOGIN_THROTTLE_LIMIT_PER_CLIENT: '3' }, agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Logins with one client key until the throttle (3 per key) refuses one. */
  async function throttledLogin(): Promise<HttpResult> {
    const attempt = () =>
      http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
        method: 'POST',
        headers: { Origin: DESK, Authorization: `Basic ${Buffer.from('cors-probe:wrong').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    return attempt();
  }

  async function restartApi(env: Record<string, string>): Promise<void> {
    await stopProcess(stack.api, 'SIGTERM');
    await stack.startApi(env);
  }

  describe('with CORS_ORIGINS listing two origins', () => {
    it('answers a preflight from a listed origin with 204 and what the request may use, before authentication and negotiation', async () => {
      for (const path of ['/ws/v19/clientapplications/messaging/conversation/start', '/ws/v19/agent/chats']) {
        const res = await preflight(stack, WIDGET, path);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(WIDGET);
        expect(listOf(res.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'post', 'put', 'patch']));
        expect(listOf(res.headers.get('access-control-allow-headers'))).toEqual(
          expect.arrayContaining(['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key', 'x-request-id']),
        );
        expect(res.headers.get('access-control-max-age')).toBe('600');
        // Bearer tokens, never cookies: a page's credentials are not asked for.
        expect(res.headers.get('access-control-allow-credentials')).toBeNull();
        expect(res.text).toBe('');
      }
    });

    it('lets a page of a listed origin read a start\'s answer and the headers a client reads', async () => {
      const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers: { Origin: DESK } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(DESK);
      expect(listOf(res.headers.get('access-control-expose-headers'))).toEqual(
        expect.arrayContaining(['location', 'retry-after', 'x-request-id', 'content-language', 'www-authenticate']),
      );
      expect(res.headers.get('location')).toMatch(/\/messaging\/conversation\/[^/]+$/);
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('lets a page call the token endpoint with HTTP Basic', async () => {
      const { chatClientKey, chatClientSecret } = stack.credentials;
      const res = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
        method: 'POST',
        headers: {
          Origin: WIDGET,
          Authorization: `Basic ${Buffer.from(`${chatClientKey}:${chatClientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(WIDGET);
    });

    it('lets a page of a listed origin read error answers too, whichever part of the API refused the request', async () => {
      const answers = [
        // No token: the guard's 401 with its challenge.
        await start(stack, startDocument(lm), { query: 'anonymousCustomer=yes', headers: { Origin: DESK } }),
        // A body format the API does not read: 415.
        await start(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: 'hello', headers: { Origin: DESK, 'Content-Type': 'text/plain' } }),
        // An answer format the API does not offer: the negotiation's 406.
        await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers: { Origin: DESK, Accept: 'text/html' } }),
        // A path no route serves: 404.
        await http(`${stack.contextUrl}/ws/v19/no/such/route`, { headers: { Origin: DESK } }),
        // The login throttle: 429 with Retry-After, which the page must be able to read.
        await throttledLogin(),
      ];
      expect(answers.map((res) => res.status)).toEqual([401, 415, 406, 404, 429]);
      for (const res of answers) {
        expect(res.body.code).toMatch(/^\d{3}-\d{3}$/);
        expect(res.headers.get('access-control-allow-origin')).toBe(DESK);
        expect(listOf(res.headers.get('access-control-expose-headers'))).toEqual(expect.arrayContaining(['retry-after', 'x-request-id', 'www-authenticate']));
      }
      expect(answers[0].headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answers[4].headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('says in Vary that an answer depends on Origin as well as on Accept and Accept-Language', async () => {
      const ok = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Origin: DESK, Authorization: `Bearer ${token}` } });
      const refused = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Origin: DESK } });
      expect([ok.status, refused.status]).toEqual([200, 401]);
      for (const res of [ok, refused]) expect(listOf(res.headers.get('vary')).sort()).toEqual(['accept', 'accept-language', 'origin']);
    });

    it('gives an origin not in the list no Access-Control-Allow-Origin, on a preflight or on a request', async () => {
      const pre = await preflight(stack, STRANGER);
      const res = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Origin: STRANGER, Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      for (const answer of [pre, res]) expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(listOf(res.headers.get('vary'))).toContain('origin');
    });

    it('answers no CORS on the operator pages, /health and /metrics', async () => {
      for (const url of [`${stack.contextUrl}/docs`, `${stack.baseUrl}/health/live`, `${stack.baseUrl}/metrics`]) {
        const res = await http(url, { headers: { Origin: DESK } });
        expect(res.status).toBe(200);
        expect(corsHeadersOf(res)).toEqual([]);
      }
    });
  });

  describe('with CORS_ORIGINS=*', () => {
    beforeAll(async () => {
      await restartApi({ CORS_ORIGINS: '*' });
    });

    it('lets a page of any origin read the answers, naming no origin and asking no credentials', async () => {
      const pre = await preflight(stack, STRANGER);
      const res = await start(stack, startDocument(lm), { query: 'anonymousCustomer=yes', headers: { Origin: STRANGER } });
      expect([pre.status, res.status]).toEqual([204, 401]);
      for (const answer of [pre, res]) {
        expect(answer.headers.get('access-control-allow-origin')).toBe('*');
        expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
      }
      expect(listOf(res.headers.get('vary'))).toEqual(['accept', 'accept-language']);
    });
  });

  describe('with CORS_ORIGINS unset', () => {
    beforeAll(async () => {
      await restartApi({ CORS_ORIGINS: '' });
    });

    it('sends no CORS header at all and answers no preflight: the negotiation refuses it as any request', async () => {
      const pre = await preflight(stack, DESK);
      const ok = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers: { Origin: DESK } });
      const refused = await start(stack, startDocument(lm), { query: 'anonymousCustomer=yes', headers: { Origin: DESK } });
      expect([pre.status, ok.status, refused.status]).toEqual([406, 200, 401]);
      for (const res of [pre, ok, refused]) expect(corsHeadersOf(res)).toEqual([]);
      expect(listOf(ok.headers.get('vary'))).toEqual(['accept', 'accept-language']);
    });
  });
});
