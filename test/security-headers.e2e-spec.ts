import { randomUUID } from 'node:crypto';
import { http, login } from './support/client';
import { Stack, waitFor } from './support/stack';

describe('security headers and leaks', () => {
  let stack: Stack;

  beforeAll(async () => {
    // Headers, operator pages and refused logins: the api alone answers them, no start is made.
    stack = await Stack.start({ workers: 0, env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('sends security headers and no version banner, on answers and on errors', async () => {
    const token = await login(stack);
    for (const res of [
      await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } }),
      await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`),
      await http(`${stack.contextUrl}/no/such/route`),
    ]) {
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('server')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      expect(res.headers.get('x-request-id')).toMatch(/.+/);
    }
  });

  it('lets the operator pages load their own files over plain HTTP', async () => {
    // upgrade-insecure-requests would make a browser fetch the page's scripts and styles
    // over https from a host that serves http only: a blank page anywhere but on localhost.
    const basic = `Basic ${Buffer.from('admin:admin-password').toString('base64')}`;
    for (const res of [await http(`${stack.contextUrl}/docs`), await http(`${stack.contextUrl}/admin/queues`, { headers: { Authorization: basic } })]) {
      expect(res.status).toBe(200);
      const policy = res.headers.get('content-security-policy');
      expect(policy).toContain("default-src 'self'");
      expect(policy).not.toContain('upgrade-insecure-requests');
    }
  });

  it('names no server software on the operator pages either, the queue dashboard\'s own answers included', async () => {
    const basic = `Basic ${Buffer.from('admin:admin-password').toString('base64')}`;
    for (const url of [`${stack.contextUrl}/docs`, `${stack.contextUrl}/admin/queues`, `${stack.contextUrl}/admin/queues/api/queues`]) {
      const res = await http(url, { headers: { Authorization: basic } });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('server')).toBeNull();
    }
  });

  it('never echoes a secret or token in an error or in the logs', async () => {
    const secret = 'very-secret-value-123';
    const res = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`demo-chat-client:${secret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(secret);
    const token = await login(stack);
    const requestId = randomUUID();
    await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': requestId } });
    // The request's line is written once the answer has gone: it may come after the answer.
    await waitFor(async () => stack.api.output.some((l) => l.includes(requestId) && l.includes('/messaging/configuration')), 5000);
    const logs = stack.api.output.join('\n');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(Buffer.from(`demo-chat-client:${secret}`).toString('base64'));
  });

  it.each([
    ['JSON with an unquoted password', 'application/json', '{"username":"alice","password":Pa55-leaked-42}'],
    ['JSON with a quote in the password', 'application/json', '{"username":"alice","password":"Pa55"leaked-42"}'],
    ['JSON that is only the password', 'application/json', 'Pa55-leaked-42'],
    ['XML with a < in the password', 'application/xml', '<login><username>alice</username><password>Pa55<leaked-42</password></login>'],
    ['XML with an & in the password', 'application/xml', '<login><username>alice</username><password>Pa55&leaked-42;</password></login>'],
    ['XML with a bad character reference in the password', 'application/xml', '<login><username>alice</username><password>&#0;leaked-42</password></login>'],
  ])('a login body that cannot be read is refused without quoting it: %s', async (_name, type, body) => {
    for (const api of ['agent', 'administration']) {
      const res = await http(`${stack.contextUrl}/ws/v19/${api}/authentication/login`, { method: 'POST', headers: { 'Content-Type': type }, body });
      expect([res.status, res.body.code]).toEqual([400, '400-111']);
      expect(res.text).not.toMatch(/Pa55|leaked/);
    }
  });
});
