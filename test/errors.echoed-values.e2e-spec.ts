import { ECHOED_HEADER_MAX_CHARACTERS, ECHOED_VALUE_MAX_CHARACTERS } from '../src/platform/errors/echoed-value';
import { adminApi, adminLogin } from './support/admin';
import { agentCall, agentLogin } from './support/assignment';
import { toXml } from '../src/platform/http/xml-codec';
import { clientOf, http, login, rawStart, start, startDocument, type HttpResult } from './support/client';
import { getConversation } from './support/messaging';
import { Stack } from './support/stack';

/**
 * A path id, a query parameter name, a body member's name or an XML root element's name of
 * any length is repeated in an error only up to ECHOED_VALUE_MAX_CHARACTERS characters,
 * followed by "…": the answer stays small whatever the request holds.
 */
describe('errors: values from the URL and names from the body are echoed cut to a sane length', () => {
  let stack: Stack;
  const long = 'a'.repeat(5000);
  const cut = `${'a'.repeat(ECHOED_VALUE_MAX_CHARACTERS)}…`;

  beforeAll(async () => {
    // Every request here is refused (404, 400) before a start would look for a live worker: no worker.
    stack = await Stack.start({ workers: 0 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function expectCut(res: HttpResult, status: number, code: string): void {
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.body.developerMessage).toContain(cut);
    expect(res.body.developerMessage.length).toBeLessThan(200);
    expect(res.text.length).toBeLessThan(1000);
  }

  it('GET .../messaging/conversation/{id}', async () => {
    const res = await getConversation(stack, await login(stack), long);
    expectCut(res, 404, '404-102');
    const xml = await getConversation(stack, await login(stack), long, 'application/xml');
    expect([xml.status, xml.text.length < 1000, xml.text.includes(cut)]).toEqual([404, true, true]);
  });

  it('a conversation id that is not too long is repeated whole', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const res = await getConversation(stack, await login(stack), id);
    expect([res.status, res.body.developerMessage]).toEqual([404, `conversation ${id} does not exist or belongs to another client application`]);
  });

  it('POST .../agent/chats/{conversationId}/complete and /transfer', async () => {
    const alice = await agentLogin(stack, 'alice');
    expectCut(await agentCall(stack, alice.token, 'POST', `/chats/${long}/complete`), 404, '404-102');
    expectCut(await agentCall(stack, alice.token, 'POST', `/chats/${long}/transfer`, { queue: { id: '2' } }), 404, '404-102');
  });

  it('administration routes with {id}', async () => {
    const admin = adminApi(stack, await adminLogin(stack));
    for (const path of [`agents/${long}`, `queues/${long}`, `clientapplications/${long}`, `clientapplications/${long}/callback`]) {
      expectCut(await admin('GET', path), 404, '404-103');
    }
  });

  it('names in details the path parameter that holds an unknown id, as the administration routes do, not a body member the request does not have', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const alice = await agentLogin(stack, 'alice');
    const answers = [
      await getConversation(stack, await login(stack), id),
      await agentCall(stack, alice.token, 'GET', `/chats/${id}`),
      await agentCall(stack, alice.token, 'POST', `/chats/${id}/complete`),
      await agentCall(stack, alice.token, 'POST', `/chats/${id}/transfer`, { queue: { id: '2' } }),
    ];
    expect(answers.map((r) => [r.body.code, r.body.details])).toEqual([
      ['404-102', 'id'],
      ['404-102', 'conversationId'],
      ['404-102', 'conversationId'],
      ['404-102', 'conversationId'],
    ]);
    const admin = adminApi(stack, await adminLogin(stack));
    for (const path of ['departments/999999', 'clientapplications/999999', 'clientapplications/999999/callback']) {
      const res = await admin('GET', path);
      expect([path, res.body.code, res.body.details]).toEqual([path, '404-103', 'id']);
    }
  });

  it('an unsupported query parameter of the start, in the message, details and the localized text', async () => {
    const res = await http(`${stack.clientApiUrl}/messaging/conversation/start?${long}=yes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(stack)}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expectCut(res, 400, '400-103');
    expect(res.body.details).toBe(cut);
    expect(res.body.userMessage).not.toContain('a'.repeat(ECHOED_VALUE_MAX_CHARACTERS + 1));
  });

  it('a parameter name that reads as a message reference, repeated as it is in the localized text', async () => {
    const name = '$t(errors.InternalError)';
    const res = await http(`${stack.clientApiUrl}/messaging/conversation/start?${encodeURIComponent(name)}=yes`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await login(stack)}`, 'Content-Type': 'application/json', 'Accept-Language': 'fr' },
      body: '{}',
    });
    expect([res.status, res.body.code, res.body.details]).toEqual([400, '400-103', name]);
    expect(res.body.userMessage).toBe(`Le paramètre ${name} n'est pas pris en charge.`);
  });

  it('the Accept, Accept-Language and Content-Type a request is refused for, cut after their own limit', async () => {
    const header = `x/${'h'.repeat(6000)}`;
    const headerCut = `${header.slice(0, ECHOED_HEADER_MAX_CHARACTERS)}…`;
    const token = await login(stack);
    const url = `${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`;
    for (const [headers, code] of [
      [{ Accept: header, 'Content-Type': 'application/json' }, '406-102'],
      [{ 'Accept-Language': `zz-${'h'.repeat(6000)}`, 'Content-Type': 'application/json' }, '406-101'],
      [{ 'Content-Type': header }, '415-101'],
      [{ 'Content-Type': `application/json; charset=${'h'.repeat(6000)}` }, '415-101'],
    ] as const) {
      const res = await http(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...headers }, body: '{}' });
      expect([res.status, res.body.code]).toEqual([Number(code.slice(0, 3)), code]);
      expect(res.body.developerMessage.length).toBeLessThan(ECHOED_HEADER_MAX_CHARACTERS + 200);
      expect(res.text.length).toBeLessThan(2000);
    }
    const accept = await http(url, { method: 'POST', headers: { Authorization: `Bearer ${token}`, Accept: header, 'Content-Type': 'application/json' }, body: '{}' });
    expect(accept.body.developerMessage).toContain(headerCut);
  });

  it('an unknown body member, in JSON and in XML, at the top and nested, and an XML root element', async () => {
    const { token, lm } = await clientOf(stack);
    const query = 'anonymousCustomer=yes';
    const document = startDocument(lm, { subject: 'hi' });
    for (const res of [
      await start(stack, { ...document, [long]: 1 }, { token, query }),
      await start(stack, startDocument(lm, { subject: 'hi', [long]: 1 }), { token, query }),
      await start(stack, { ...document, [long]: 1 }, { token, query, encoding: 'xml' }),
    ]) {
      expectCut(res, 400, '400-112');
      expect(res.body.details).toContain(cut);
    }
    const root = await rawStart(stack, token, toXml(long, document), 'application/xml');
    expectCut(root, 400, '400-112');
  });

  it('the path of a route that does not exist, cut after the header limit and without its query string; a path segment that is not UTF-8', async () => {
    const unknown = await http(`${stack.clientApiUrl}/${long}?client_secret=s3cr3t`, { headers: { 'Accept-Language': 'de' } });
    expect([unknown.status, unknown.body.code, unknown.headers.get('content-language')]).toEqual([404, '404-101', 'de']);
    expect(unknown.body.developerMessage).toMatch(/^Cannot GET \/system\/ws\/v19\/clientapplications\/a+…$/);
    expect(unknown.body.developerMessage.length).toBeLessThan(ECHOED_HEADER_MAX_CHARACTERS + 20);
    expect(unknown.text).not.toContain('s3cr3t');
    const undecodable = await getConversation(stack, await login(stack), `%ff${long}`);
    expect([undecodable.status, undecodable.body.code, undecodable.body.details]).toEqual([400, '400-150', 'URL']);
    expect(undecodable.body.developerMessage).toBe(`Failed to decode param '%ff${'a'.repeat(ECHOED_VALUE_MAX_CHARACTERS - 3)}…'`);
  });
});
