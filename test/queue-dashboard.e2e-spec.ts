import { adminLogin } from './support/admin';
import { http, login } from './support/client';
import { Stack } from './support/stack';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Bull Board at <CONTEXT_PATH>/admin/queues: administrators only, by session token or HTTP Basic. */
describe('queue dashboard', () => {
  let stack: Stack;
  let page: string;

  beforeAll(async () => {
    // The board reads and changes the queues in Redis through the api: no worker takes their jobs.
    stack = await Stack.start({ workers: 0 });
    page = `${stack.contextUrl}/admin/queues`;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const get = (url: string, authorization?: string) =>
    http(url, { headers: { Accept: 'text/html', 'Accept-Language': 'ja', ...(authorization ? { Authorization: authorization } : {}) } });

  it('401 without credentials, with a Basic challenge so a browser asks for them', async () => {
    const res = await get(page);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="queue dashboard"/);
    expect(res.body.code).toBe('401-101');
    expect((await get(`${page}/api/queues`)).status).toBe(401);
  });

  it('401 for wrong credentials and for sessions that are not administrators\'', async () => {
    expect((await get(page, basic('admin', 'wrong'))).body.code).toBe('401-108');
    expect((await get(page, basic('alice', stack.credentials.agentPassword))).body.code).toBe('401-108');
    expect((await get(page, `Bearer ${await login(stack)}`)).body.code).toBe('401-107');
    expect((await get(page, 'Bearer no-such-token')).body.code).toBe('401-103');
    expect((await get(page, 'Digest abc')).body.code).toBe('401-102');
  });

  it('200 with an administrator session token', async () => {
    const res = await get(page, `Bearer ${await adminLogin(stack)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('200 with an administrator\'s user name and password (HTTP Basic), showing both queues', async () => {
    const auth = basic(stack.credentials.adminUsername, stack.credentials.adminPassword);
    expect((await get(page, auth)).status).toBe(200);
    const api = await http(`${page}/api/queues`, { headers: { Authorization: auth } });
    expect(api.status).toBe(200);
    expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['assignment', 'webhook']);
  });

  it('answers a body its own JSON parser refuses itself: the api reads every other body', async () => {
    const auth = basic(stack.credentials.adminUsername, stack.credentials.adminPassword);
    const res = await http(`${page}/api/queues/assignment/pause`, { method: 'PUT', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: '{"a":' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBeUndefined();
    expect(res.body.error).toEqual({ key: expect.any(String) });
  });

  it('answers 404 at once for a path under it that it does not serve, though its parser read the body', async () => {
    const auth = basic(stack.credentials.adminUsername, stack.credentials.adminPassword);
    const res = await http(`${page}/api/no-such-route`, { method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' }, body: '{"a":1}', signal: AbortSignal.timeout(5000) });
    expect([res.status, res.body.code]).toEqual([404, '404-101']);
  });

  describe('changes sent by a page of another site', () => {
    const waitingJobs = async (auth: string) => {
      const res = await http(`${page}/api/queues?activeQueue=assignment&status=waiting`, { headers: { Authorization: auth } });
      const queue = res.body.queues.find((q: { name: string }) => q.name === 'assignment');
      return queue.counts.waiting + queue.counts.failed + queue.counts.active + queue.counts.completed;
    };

    it('are refused with 403-105 before anything changes, though the browser sent the administrator\'s Basic credentials', async () => {
      const auth = basic(stack.credentials.adminUsername, stack.credentials.adminPassword);
      const before = await waitingJobs(auth);
      // What a form or a no-cors fetch of another site makes the browser send: no preflight, credentials attached.
      const attempts: Record<string, string>[] = [
        { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://attacker.example' },
        { 'Sec-Fetch-Site': 'same-site', Origin: 'https://other.example.com' },
        { Origin: 'https://attacker.example' },
        { Origin: 'null' },
      ];
      for (const headers of attempts) {
        const res = await http(`${page}/api/queues/assignment/add`, {
          method: 'POST',
          headers: { Authorization: auth, 'Content-Type': 'text/plain', ...headers },
          body: '{"name":"x","data":{}}',
        });
        expect([res.status, res.body.code, res.body.details]).toEqual([403, '403-105', headers['Sec-Fetch-Site'] ? 'Sec-Fetch-Site' : 'Origin']);
      }
      expect(await waitingJobs(auth)).toBe(before);
    });

    it('are taken from the board\'s own page and from clients that are not browsers', async () => {
      const auth = basic(stack.credentials.adminUsername, stack.credentials.adminPassword);
      const own = new URL(page);
      const sent: Record<string, string>[] = [{ 'Sec-Fetch-Site': 'same-origin', Origin: own.origin }, { Origin: own.origin }, {}];
      for (const headers of sent) {
        const paused = await http(`${page}/api/queues/webhook/pause`, { method: 'PUT', headers: { Authorization: auth, ...headers } });
        expect(paused.status).toBe(200);
        const resumed = await http(`${page}/api/queues/webhook/resume`, { method: 'PUT', headers: { Authorization: auth, ...headers } });
        expect(resumed.status).toBe(200);
      }
    });
  });
});
