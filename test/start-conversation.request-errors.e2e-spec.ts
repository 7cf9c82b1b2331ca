import de from '../src/i18n/de/errors.json';
import en from '../src/i18n/en/errors.json';
import es from '../src/i18n/es/errors.json';
import fr from '../src/i18n/fr/errors.json';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { toXml } from '../src/platform/http/xml-codec';
import { customerWithEmail, http, lastModified, login, start, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';
import { expectError, expectRefused, expectStartRefused, startOk } from './support/ws-error';

const BODY_LIMIT = 8192;

/**
 * Start requests refused before any business rule: query parameters, the body in each
 * format, size and content type, content negotiation. Each refusal has its own code and
 * writes nothing.
 */
describe('start conversation: refused requests (query, body, negotiation)', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let anonymous: Record<string, unknown>;

  beforeAll(async () => {
    stack = await Stack.start({ env: { BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    await stack.db.query('UPDATE agent SET max_chats = 100');
    token = await login(stack);
    lm = await lastModified(stack, token);
    anonymous = startDocument(lm);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const raw = (body: string | FormData, contentType: string | undefined, query = 'anonymousCustomer=yes', headers: Record<string, string> = {}) =>
    start(stack, undefined, { token, query, raw: body, headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...headers } });

  describe('query parameters', () => {
    it.each([
      ['neither mode parameter', '', 'ConversationModeMissing'],
      ['only optional parameters', 'sendTypingNotification=yes', 'ConversationModeMissing'],
      ['both mode parameters', 'anonymousCustomer=yes&searchContactOnAttribute=email.emailAddress', 'ConversationModeConflict'],
      ['an unsupported parameter', 'anonymousCustomer=yes&foo=bar', 'UnsupportedParameter'],
      ['a parameter in the wrong case', 'AnonymousCustomer=yes', 'UnsupportedParameter'],
      ['a repeated parameter', 'anonymousCustomer=yes&anonymousCustomer=yes', 'RepeatedParameter'],
      ['a repeated optional parameter', 'anonymousCustomer=yes&sendTypingNotification=no&sendTypingNotification=no', 'RepeatedParameter'],
      ['anonymousCustomer=no', 'anonymousCustomer=no', 'InvalidParameterValue'],
      ['anonymousCustomer without value', 'anonymousCustomer', 'InvalidParameterValue'],
      ['anonymousCustomer=YES', 'anonymousCustomer=YES', 'InvalidParameterValue'],
      ['sendTypingNotification=maybe', 'anonymousCustomer=yes&sendTypingNotification=maybe', 'InvalidParameterValue'],
      ['searchContactOnAttribute=email', 'searchContactOnAttribute=email', 'InvalidParameterValue'],
      ['searchContactOnAttribute=custom.', 'searchContactOnAttribute=custom.', 'InvalidParameterValue'],
      ['searchContactOnAttribute=work.phone', 'searchContactOnAttribute=work.phone', 'InvalidParameterValue'],
      ['conversationContact=externalId', 'searchContactOnAttribute=email.emailAddress&conversationContact=externalId', 'InvalidParameterValue'],
      ['conversationContact=custom.loyalty_id', 'searchContactOnAttribute=email.emailAddress&conversationContact=custom.loyalty_id', 'InvalidParameterValue'],
      ['conversationContact with anonymousCustomer', 'anonymousCustomer=yes&conversationContact=email.emailAddress', 'ConversationContactNotAllowed'],
    ] as const)('%s', async (_name, query, kind) => {
      const doc = query.includes('search') ? startDocument(lm, { customer: customerWithEmail(uniqueEmail('q')) }) : anonymous;
      await expectStartRefused(stack, doc, { token, query }, kind);
    });

    it('names the parameter at fault in details', async () => {
      const res = await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes&sendTypingNotification=1' }, 'InvalidParameterValue');
      expect(res.body.details).toBe('sendTypingNotification');
    });

    it('checks the query before the body', async () => {
      await expectRefused(stack, () => raw('', undefined, ''), 'ConversationModeMissing');
    });
  });

  describe('body', () => {
    it('refuses a missing body', async () => {
      await expectRefused(stack, () => raw('', 'application/json'), 'BodyMissing');
      await expectRefused(stack, () => http(`${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } }), 'BodyMissing');
    });

    it('refuses an empty document', async () => {
      await expectRefused(stack, () => raw('{}', 'application/json'), 'BodyMissing');
      await expectRefused(stack, () => raw('<conversation/>', 'application/xml'), 'BodyMissing');
    });

    it('refuses a body that is not a document', async () => {
      await expectRefused(stack, () => raw('[1,2]', 'application/json'), 'BodyInvalid', '(body)');
    });

    it.each([
      ['truncated JSON', '{"entryPointConfiguration": {'],
      ['a JSON string', '"hello"'],
      ['JSON with a trailing comma', '{"a": 1,}'],
    ])('refuses malformed JSON: %s', async (_name, body) => {
      await expectRefused(stack, () => raw(body, 'application/json'), 'BodyMalformed');
    });

    it('refuses a body that is not UTF-8', async () => {
      const latin1 = Buffer.from('{"entryPointConfiguration":{"entryPoint":{"id":"1001"}},"activity":{"subject":"caf\u00e9"}}', 'latin1');
      const res = await expectRefused(stack, () => http(`${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: latin1,
      }), 'BodyMalformed');
      expect(res.body.developerMessage).toMatch(/UTF-8/);
    });

    it.each([
      ['unclosed element', '<conversation><entryPointConfiguration></conversation>'],
      ['text only', 'hello'],
      ['two roots', '<conversation/><conversation/>'],
      ['an undeclared entity', '<conversation><activity><subject>&nbsp;</subject></activity></conversation>'],
    ])('refuses malformed XML: %s', async (_name, body) => {
      await expectRefused(stack, () => raw(body, 'application/xml'), 'BodyMalformed');
    });

    it.each([
      ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE conversation [<!ELEMENT conversation ANY>]><conversation/>'],
      ['an external entity', '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><conversation><activity><subject>&xxe;</subject></activity></conversation>'],
      ['an entity expansion bomb', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><conversation>&lol2;</conversation>'],
    ])('refuses XML with %s', async (_name, body) => {
      await expectRefused(stack, () => raw(body, 'application/xml'), 'XmlForbiddenConstruct');
    });

    it('refuses an XML document whose root is not conversation', async () => {
      const res = await expectRefused(stack, () => raw(toXml('request', anonymous), 'application/xml'), 'BodyInvalid');
      expect(res.body.details).toBe('(root)');
    });

    it('refuses multipart with no part', async () => {
      await expectRefused(stack, () => raw('--b0undary--\r\n', 'multipart/form-data; boundary=b0undary'), 'MultipartInvalid');
    });

    it('refuses multipart without a boundary', async () => {
      await expectRefused(stack, () => raw('--x--\r\n', 'multipart/form-data'), 'MultipartInvalid');
    });

    it('refuses multipart with two parts', async () => {
      const form = new FormData();
      form.append('conversation', new Blob([JSON.stringify(anonymous)], { type: 'application/json' }), 'a.json');
      form.append('other', new Blob([JSON.stringify(anonymous)], { type: 'application/json' }), 'b.json');
      await expectRefused(stack, () => raw(form, undefined), 'MultipartInvalid');
    });

    it('refuses multipart with three parts', async () => {
      const form = new FormData();
      for (const name of ['a', 'b', 'c']) form.append(name, JSON.stringify(anonymous));
      await expectRefused(stack, () => raw(form, undefined), 'MultipartInvalid');
    });

    it.each([
      ['image/png', JSON.stringify({ x: 1 })],
      ['text/html', '<html></html>'],
      ['text/plain', 'hello'],
    ])('refuses a multipart part of type %s that holds no document', async (type, content) => {
      const form = new FormData();
      form.append('conversation', new Blob([content], { type }), 'x');
      await expectRefused(stack, () => raw(form, undefined), 'MultipartInvalid');
    });

    it('refuses a multipart part with malformed JSON', async () => {
      const form = new FormData();
      form.append('conversation', new Blob(['{"a":'], { type: 'application/json' }), 'x.json');
      await expectRefused(stack, () => raw(form, undefined), 'BodyMalformed');
    });

    it('refuses a multipart XML part with a DOCTYPE', async () => {
      const form = new FormData();
      form.append('conversation', new Blob(['<!DOCTYPE c><conversation/>'], { type: 'application/xml' }), 'x.xml');
      await expectRefused(stack, () => raw(form, undefined), 'XmlForbiddenConstruct');
    });

    it.each([
      ['entryPointConfiguration', { activity: { subject: 'x' } }, 'entryPointConfiguration'],
      ['the entry point id', { entryPointConfiguration: { entryPoint: {}, lastModified: { date: '2026-01-05T10:00:00.000Z' } } }, 'entryPointConfiguration.entryPoint.id'],
      ['the entry point', { entryPointConfiguration: { lastModified: { date: '2026-01-05T10:00:00.000Z' } } }, 'entryPointConfiguration.entryPoint'],
      ['lastModified', { entryPointConfiguration: { entryPoint: { id: '1001' } } }, 'entryPointConfiguration.lastModified'],
      ['lastModified.date', { entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: {} } }, 'entryPointConfiguration.lastModified.date'],
    ])('refuses a body without %s', async (_name, doc, field) => {
      await expectStartRefused(stack, doc, { token, query: 'anonymousCustomer=yes' }, 'BodyInvalid', field);
      // In XML an empty element is an empty value, so the error may name the element itself.
      const xml = await expectStartRefused(stack, doc, { token, encoding: 'xml', query: 'anonymousCustomer=yes' }, 'BodyInvalid');
      expect(field.startsWith(xml.body.details)).toBe(true);
    });

    it('treats null as absent', async () => {
      const doc = { entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: null } };
      await expectStartRefused(stack, doc, { token, query: 'anonymousCustomer=yes' }, 'BodyInvalid', 'entryPointConfiguration.lastModified');
      await startOk(stack, { ...startDocument(lm), activity: { subject: null, case: null, customer: null, customAttributes: null } }, { token, query: 'anonymousCustomer=yes' });
      const customer = { contacts: { contact: [{ firstName: null, email: [{ emailAddress: uniqueEmail('null') }], externalId: null }] } };
      await startOk(stack, startDocument(lm, { subject: null, customer }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    });

    it.each([
      ['an invalid entry point id', { entryPoint: { id: 'ep-1' } }, 'entryPointConfiguration.entryPoint.id'],
      ['a negative entry point id', { entryPoint: { id: -1 } }, 'entryPointConfiguration.entryPoint.id'],
      ['a lastModified that is not a date', { lastModified: { date: 'yesterday' } }, 'entryPointConfiguration.lastModified.date'],
      ['a lastModified without time', { lastModified: { date: '2026-01-05' } }, 'entryPointConfiguration.lastModified.date'],
      ['a lastModified without zone', { lastModified: { date: '2026-01-05T10:00:00' } }, 'entryPointConfiguration.lastModified.date'],
      ['an impossible lastModified', { lastModified: { date: '2026-13-45T10:00:00Z' } }, 'entryPointConfiguration.lastModified.date'],
      ['a lastModified on 30 February', { lastModified: { date: '2026-02-30T10:00:00Z' } }, 'entryPointConfiguration.lastModified.date'],
      ['a numeric lastModified', { lastModified: { date: 1767607200000 } }, 'entryPointConfiguration.lastModified.date'],
    ])('refuses %s', async (_name, override, field) => {
      const doc = { entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: lm }, ...override } };
      await expectStartRefused(stack, doc, { token, query: 'anonymousCustomer=yes' }, 'BodyInvalid', field);
    });

    it('refuses an unknown field, naming it', async () => {
      const res = await expectStartRefused(stack, { ...anonymous, activity: { subject: 'x', colour: 'red' } }, { token, query: 'anonymousCustomer=yes' }, 'BodyInvalid');
      expect(res.body.details).toBe('activity.colour');
    });

    it('does not let __proto__ through', async () => {
      const body = `{"entryPointConfiguration":{"entryPoint":{"id":"1001"},"lastModified":{"date":"${lm}"}},"__proto__":{"polluted":true}}`;
      await expectRefused(stack, () => raw(body, 'application/json'), 'BodyInvalid');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  describe('size (413)', () => {
    // Whitespace pads a valid document to any size: the limit is on bytes, whatever they hold.
    const padded = (text: string, size: number) => text.replace(/^(.)/, (c) => c + ' '.repeat(size - text.length));

    it('accepts a JSON body of exactly the limit and refuses one byte more', async () => {
      const json = JSON.stringify(anonymous);
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: padded(json, BODY_LIMIT), headers: { 'Content-Type': 'application/json' } });
      await expectRefused(stack, () => raw(padded(json, BODY_LIMIT + 1), 'application/json'), 'BodyTooLarge');
    });

    it('refuses an XML body over the limit', async () => {
      const xml = toXml('conversation', anonymous).replace('<conversation>', `<conversation>${' '.repeat(BODY_LIMIT)}`);
      await expectRefused(stack, () => raw(xml, 'application/xml'), 'BodyTooLarge');
    });

    it('accepts a multipart part of exactly the limit and refuses one byte more', async () => {
      const json = JSON.stringify(anonymous);
      const form = (size: number) => {
        const f = new FormData();
        f.append('conversation', new Blob([padded(json, size)], { type: 'application/json' }), 'c.json');
        return f;
      };
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: form(BODY_LIMIT) });
      await expectRefused(stack, () => raw(form(BODY_LIMIT + 1), undefined), 'BodyTooLarge');
    });

    it('refuses a multipart form field over the limit', async () => {
      const f = new FormData();
      f.append('conversation', JSON.stringify(anonymous) + ' '.repeat(BODY_LIMIT));
      await expectRefused(stack, () => raw(f, undefined), 'BodyTooLarge');
    });

    it('refuses a much larger body without reading it all', async () => {
      await expectRefused(stack, () => raw(padded(JSON.stringify(anonymous), 2 * 1024 * 1024), 'application/json'), 'BodyTooLarge');
    });
  });

  describe('content type (415)', () => {
    it.each(['text/plain', 'text/html', 'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json-patch+json', 'image/png'])(
      'refuses %s',
      async (type) => {
        await expectRefused(stack, () => raw(JSON.stringify(anonymous), type), 'UnsupportedContentType', 'Content-Type');
      },
    );

    it('refuses a body without Content-Type', async () => {
      await expectRefused(stack, () => http(`${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: new Uint8Array(Buffer.from(JSON.stringify(anonymous))),
      }), 'UnsupportedContentType');
    });

    it('refuses an unsupported charset', async () => {
      await expectRefused(stack, () => raw(JSON.stringify(anonymous), 'application/json; charset=iso-8859-1'), 'UnsupportedContentType');
    });

    it('accepts the types case-insensitively and with parameters', async () => {
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: JSON.stringify(anonymous), headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' } });
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: toXml('conversation', anonymous), headers: { 'Content-Type': 'text/xml; charset=utf-8' } });
    });
  });

  describe('negotiation (406) and error rendering', () => {
    it.each(['en;q=2', 'en_US', ';q=1', 'en;level=1'])('refuses the malformed Accept-Language %p', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { 'Accept-Language': value } }, 'InvalidAcceptLanguage');
    });

    it.each(['it', 'zh-CN, ja;q=0.5', 'fr;q=0'])('refuses Accept-Language %p that names no supported language', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { 'Accept-Language': value } }, 'InvalidAcceptLanguage');
    });

    it.each(['text/html', 'application/pdf', 'application/json;q=0, application/xml;q=0'])('refuses Accept %p', async (value) => {
      await expectStartRefused(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: value } }, 'UnsupportedAccept');
    });

    it('answers JSON for */* and no Accept, XML when asked first', async () => {
      const any = await startOk(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: '*/*' } });
      expect(any.conversation.id).toMatch(/^[0-9a-f-]{36}$/);
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes', headers: { Accept: 'application/xml, application/json;q=0.5' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.xmlRoot).toBe('conversation');
    });

    it('renders an error as a WSError XML document when XML is accepted', async () => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&foo=1', headers: { Accept: 'application/xml' } });
      expectError(res, 'UnsupportedParameter', 'foo');
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      expect(res.xmlRoot).toBe('WSError');
      expect(res.text).toContain(`<code>${ERROR_CATALOGUE.UnsupportedParameter.code}</code>`);
      expect(res.body.userMessage).toBe(en.UnsupportedParameter.replace('{param}', 'foo'));
    });

    it('escapes what the client sent when it echoes it in XML', async () => {
      const res = await start(stack, anonymous, { token, query: `anonymousCustomer=yes&${encodeURIComponent('<a&b>')}=1`, headers: { Accept: 'application/xml' } });
      expectError(res, 'UnsupportedParameter', '<a&b>');
      expect(res.text).toContain('&lt;a&amp;b&gt;');
    });

    it.each([
      ['fr', fr, 'fr'],
      ['de-AT', de, 'de'],
      ['es-ES;q=0.9, en;q=0.1', es, 'es'],
      ['it, fr;q=0.8, de;q=0.5', fr, 'fr'],
      ['en;q=0.2, DE;q=0.7, es;q=0.6', de, 'de'],
      ['*', en, 'en'],
      [undefined, en, 'en'],
    ] as const)('localizes userMessage for Accept-Language %p', async (value, catalogue, language) => {
      const headers: Record<string, string> = value === undefined ? {} : { 'Accept-Language': value };
      const res = await start(stack, anonymous, { token, query: '', headers });
      expectError(res, 'ConversationModeMissing');
      expect(res.body.userMessage).toBe(catalogue.ConversationModeMissing);
      expect(res.headers.get('content-language')).toBe(language);
      expect(res.body.developerMessage).toMatch(/anonymousCustomer/);
    });

    it('interpolates values into localized messages', async () => {
      const res = await start(stack, anonymous, { token, query: 'anonymousCustomer=yes&bar=1', headers: { 'Accept-Language': 'de' } });
      expectError(res, 'UnsupportedParameter');
      expect(res.body.userMessage).toBe(de.UnsupportedParameter.replace('{param}', 'bar'));
    });
  });
});
