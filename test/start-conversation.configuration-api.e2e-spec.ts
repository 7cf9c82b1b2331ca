import { http, login, startDocument, type HttpResult } from './support/client';
import { Stack } from './support/stack';
import { expectError, startOk } from './support/ws-error';

/**
 * The entry point configuration API, which a client reads before a start for the
 * `lastModified` date the start must send back: its answer in JSON and XML, and its refusals.
 */
describe('entry point configuration API', () => {
  let stack: Stack;
  let token: string;
  let chatApplicationId: string;

  const configuration = (query: string, headers: Record<string, string> = {}): Promise<HttpResult> =>
    http(`${stack.clientApiUrl}/messaging/configuration${query}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    stack = await Stack.start();
    token = await login(stack);
    [{ id: chatApplicationId }] = await stack.db.query('SELECT id FROM client_application WHERE client_id = ?', [stack.credentials.chatClientKey]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the entry point, its department and the lastModified a start accepts, in JSON and XML', async () => {
    const res = await configuration('?entrypoint=01001');
    expect(res.status).toBe(200);
    const [config] = res.body.entryPointConfiguration;
    expect(config.entryPoint).toEqual({ id: '1001', name: expect.any(String), active: true });
    expect(config.department).toEqual({ id: '1' });
    await startOk(stack, startDocument(config.lastModified.date), { token, query: 'anonymousCustomer=yes' });
    const xml = await configuration('?entrypoint=1001', { Accept: 'application/xml' });
    expect(xml.xmlRoot).toBe('entryPointConfiguration');
    expect(xml.body.lastModified.date).toBe(config.lastModified.date);
  });

  it.each([
    ['no entrypoint', ''],
    ['an empty entrypoint', '?entrypoint='],
    ['an entrypoint that is no id', '?entrypoint=abc'],
    ['an entrypoint beyond 19 digits', '?entrypoint=12345678901234567890'],
  ])('refuses %s with 400-105 naming entrypoint', async (_name, query) => {
    expectError(await configuration(query), 'InvalidParameterValue', 'entrypoint');
  });

  it('refuses entrypoint given twice with 400-104, as the start refuses a repeated parameter', async () => {
    expectError(await configuration('?entrypoint=1001&entrypoint=1001'), 'RepeatedParameter', 'entrypoint');
    expectError(await configuration('?entrypoint=1001&entrypoint=1002'), 'RepeatedParameter', 'entrypoint');
  });

  it('reads every parameter of the query, however many: none after the thousandth goes unseen', async () => {
    const others = Array.from({ length: 1000 }, (_, i) => `_${i}=1`).join('&');
    const res = await configuration(`?${others}&entrypoint=1001`);
    expect(res.status).toBe(200);
    expect(res.body.entryPointConfiguration[0].entryPoint.id).toBe('1001');
    expectError(await configuration(`?entrypoint=1001&${others}&entrypoint=1002`), 'RepeatedParameter', 'entrypoint');
  });

  it('ignores parameters it does not know, such as a cache buster', async () => {
    expect((await configuration('?entrypoint=1001&_=1767225600000')).status).toBe(200);
  });

  it('refuses an unknown entry point (400-120) and one the application is not configured for (403-102)', async () => {
    expectError(await configuration('?entrypoint=4242'), 'EntryPointNotFound', 'entrypoint');
    await stack.db.query('DELETE FROM client_application_entry_point WHERE client_application_id = ? AND entry_point_id = 1002', [chatApplicationId]);
    try {
      expectError(await configuration('?entrypoint=1002'), 'EntryPointNotAllowed', 'entrypoint');
    } finally {
      await stack.db.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, 1002)', [chatApplicationId]);
    }
  });

  it('refuses a request without a session', async () => {
    expectError(await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`), 'AuthorizationMissing');
  });
});
