import { toXml } from '../src/platform/http/xml-codec';
import { clientOf, customerWithEmail, http, rawStart, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';
import { expectRefused, expectStartRefused, startOk } from './support/ws-error';

/**
 * Start requests refused before any business rule: query parameters and the body in each
 * format. Each refusal has its own code and writes nothing.
 */
describe('start conversation: refused requests (query and body)', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let anonymous: Record<string, unknown>;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
    anonymous = startDocument(lm);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const raw = (body: string | FormData, contentType: string | undefined, query?: string, headers?: Record<string, string>) => rawStart(stack, token, body, contentType, query, headers);

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
      ['a plain field', 'Content-Disposition: form-data; name="conversation"'],
      ['a file part', 'Content-Disposition: form-data; name="conversation"; filename="c.json"\r\nContent-Type: application/json'],
    ])('refuses a multipart body that is not UTF-8, in %s', async (_name, partHeaders) => {
      const doc = JSON.stringify(startDocument(lm, { subject: 'caf\u00e9' }));
      const body = (encoding: BufferEncoding) => new Uint8Array(Buffer.concat([
        Buffer.from(`--b0undary\r\n${partHeaders}\r\n\r\n`), Buffer.from(doc, encoding), Buffer.from('\r\n--b0undary--\r\n'),
      ]));
      const send = (encoding: BufferEncoding) => http(`${stack.clientApiUrl}/messaging/conversation/start?anonymousCustomer=yes`, {
        method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'multipart/form-data; boundary=b0undary' }, body: body(encoding),
      });
      const res = await expectRefused(stack, () => send('latin1'), 'BodyMalformed');
      expect(res.body.developerMessage).toMatch(/UTF-8/);
      const ok = await send('utf8');
      expect(ok.status).toBe(200);
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [ok.body.conversation.id]);
      expect(activity?.subject).toBe('caf\u00e9');
    });

    describe('a lone surrogate, which no UTF-8 text can carry', () => {
      const withActivity = (activity: Record<string, unknown>) => startDocument(lm, activity);
      const clientInfo = (referrerName: string) => ({ payload: { chat: { clientInfo: { referrerName } } } });

      it.each([
        ['in clientInfo.referrerName', () => withActivity(clientInfo('a\ud800b')), 'anonymousCustomer=yes'],
        ['in an activity custom attribute value', () => withActivity({ customAttributes: { customAttribute: [{ attribName: 'order_channel', attribValues: { attribValue: [{ value: 'a\ud800b' }] } }] } }), 'anonymousCustomer=yes'],
        ['in the subject (a low surrogate)', () => withActivity({ subject: 'x\udc00' }), 'anonymousCustomer=yes'],
        ['in a member name', () => ({ ...anonymous, ['x\ud800']: 'y' }), 'anonymousCustomer=yes'],
        ['in a contact custom attribute', () => withActivity({ customer: customerWithEmail(uniqueEmail('surrogate'), { customAttributes: { customAttribute: [{ attribName: 'loyalty', attribValues: { attribValue: [{ value: '\udbff' }] } }] } }) }), 'searchContactOnAttribute=email.emailAddress'],
      ])('refuses one %s as malformed, in JSON and in a multipart JSON part', async (_name, doc, query) => {
        // JSON.stringify writes a lone surrogate as its escape, \ud800: the bytes on the wire are valid UTF-8.
        expect(JSON.stringify(doc())).toMatch(/\\ud[89a-f]/);
        await expectStartRefused(stack, doc(), { token, query }, 'BodyMalformed');
        await expectStartRefused(stack, doc(), { token, query, encoding: 'multipart' }, 'BodyMalformed');
      });

      it('refuses one in XML as a character reference', async () => {
        const xml = toXml('conversation', withActivity(clientInfo('a_b'))).replace('a_b', 'a&#xD800;b');
        await expectRefused(stack, () => raw(xml, 'application/xml'), 'BodyMalformed');
      });

      it('accepts a surrogate pair, escaped or not', async () => {
        await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: JSON.stringify(withActivity(clientInfo('x'))).replace('"x"', '"\\ud83d\\ude00 \u{1F600}"'), headers: { 'Content-Type': 'application/json' } });
      });

      it('is refused on the token route as well', async () => {
        const res = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
          method: 'POST',
          headers: { Authorization: `Basic ${Buffer.from('key\u00e9:secret').toString('base64')}`, 'Content-Type': 'application/json' },
          body: '{"grant_type":"client_credentials\\ud800"}',
        });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('400-111');
      });
    });

    it.each([
      ['unclosed element', '<conversation><entryPointConfiguration></conversation>'],
      ['text only', 'hello'],
      ['two roots', '<conversation/><conversation/>'],
      ['an undeclared entity', '<conversation><activity><subject>&nbsp;</subject></activity></conversation>'],
    ])('refuses malformed XML: %s', async (_name, body) => {
      await expectRefused(stack, () => raw(body, 'application/xml'), 'BodyMalformed');
    });

    it('refuses 60 KiB of tags never closed inside <conversation> as malformed at once, and answers the next request', async () => {
      // The depth check's worst case: before it was a scan, this body held the api for hours, before any login.
      const body = `<conversation>${'<a'.repeat(30 * 1024)}`;
      await expectRefused(stack, () => raw(body, 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
      await startOk(stack, anonymous, { token, query: 'anonymousCustomer=yes' });
    });

    it.each([
      ['a control character in the subject', { subject: 'x' }, '<subject>x</subject>', '<subject>a\u0001b</subject>'],
      ['U+FFFE in clientInfo', { subject: 'x', payload: { chat: { clientInfo: { referrerName: 'r' } } } }, '<referrerName>r</referrerName>', '<referrerName>a\uFFFEb</referrerName>'],
    ])('refuses XML holding %s, a character XML does not allow, as malformed', async (_name, activity, sent, replaced) => {
      const xml = toXml('conversation', startDocument(lm, activity)).replace(sent, replaced);
      expect(xml).toContain(replaced);
      await expectRefused(stack, () => raw(xml, 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
    });

    it.each([
      ['a bare &', 'a & b'],
      ['a <', 'a < b'],
    ])('refuses XML with %s in an attribute value as malformed', async (_name, value) => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'x' })).replace('<activity><subject>x</subject>', `<activity subject="${value}">`);
      expect(xml).toContain(`<activity subject="${value}">`);
      await expectRefused(stack, () => raw(xml, 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
    });

    it('reads a tab or line break in an attribute value as a space, as XML does, and one sent as a reference as itself', async () => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'x' })).replace('<activity><subject>x</subject>', '<activity subject="one\ttwo\r\nthree&#10;four">');
      const res = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml, headers: { 'Content-Type': 'application/xml' } });
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [res.conversation.id]);
      expect(activity.subject).toBe('one two three\nfour');
    });

    it.each([
      ['"]]>" in text', '<subject>a]]>b</subject>'],
      ['an XML declaration inside the root', '<?xml version="1.0"?><subject>x</subject>'],
    ])('refuses XML with %s as malformed', async (_name, replaced) => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'x' })).replace('<subject>x</subject>', replaced);
      expect(xml).toContain(replaced);
      await expectRefused(stack, () => raw(xml, 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
    });

    it.each([
      ['an element name with an empty prefix', '<:subject>x</:subject>'],
      ['an element name with two colons', '<v:w:subject xmlns:v="urn:v19">x</v:w:subject>'],
      ['an attribute name with an empty local name', '<subject x:="1">x</subject>'],
    ])('refuses XML with %s as malformed (400-111), rather than reading it under another name or dropping it', async (_name, replaced) => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'x' })).replace('<subject>x</subject>', replaced);
      expect(xml).toContain(replaced);
      await expectRefused(stack, () => raw(xml, 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
    });

    it('refuses XML declaring a version other than 1.x (400-111), and reads 1.1 as 1.0', async () => {
      const xml = (version: string) => `<?xml version="${version}" encoding="UTF-8"?>` + toXml('conversation', startDocument(lm, { subject: `v${version}` })).replace(/^<\?xml[^?]*\?>/, '');
      const res = await expectRefused(stack, () => raw(xml('2.0'), 'application/xml', 'anonymousCustomer=yes'), 'BodyMalformed');
      expect(res.body.developerMessage).toMatch(/^XML version not supported/);
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml('1.1'), headers: { 'Content-Type': 'application/xml' } });
    });

    it.each([
      ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE conversation [<!ELEMENT conversation ANY>]><conversation/>'],
      ['an external entity', '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><conversation><activity><subject>&xxe;</subject></activity></conversation>'],
      ['an entity expansion bomb', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><conversation>&lol2;</conversation>'],
    ])('refuses XML with %s', async (_name, body) => {
      await expectRefused(stack, () => raw(body, 'application/xml'), 'XmlForbiddenConstruct');
    });

    it.each(['   ', '  Order 1234  ', '\tline one\nline two '])('keeps the whitespace of the subject %p, in XML as in JSON', async (subject) => {
      for (const encoding of ['json', 'xml'] as const) {
        const res = await startOk(stack, startDocument(lm, { subject }), { token, query: 'anonymousCustomer=yes', encoding });
        const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [res.conversation.id]);
        expect({ encoding, subject: activity.subject }).toEqual({ encoding, subject });
      }
    });

    it('reads pretty-printed XML, its indentation being layout, not content', async () => {
      const xml = toXml('conversation', startDocument(lm, { subject: ' Hi ' }))
        .replace(/></g, '>\n    <')
        .replace('<subject>\n    ', '<subject>');
      expect(xml).toContain('\n    <activity>');
      const res = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml, headers: { 'Content-Type': 'application/xml' } });
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [res.conversation.id]);
      expect(activity.subject).toBe(' Hi ');
    });

    it('ignores a namespace and the attributes of foreign namespaces (xsi:schemaLocation) on the root', async () => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'ns' })).replace(
        '<conversation>',
        '<conversation xmlns="urn:example:v19" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:example:v19 conversation.xsd">',
      );
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml, headers: { 'Content-Type': 'application/xml' } });
    });

    it('reads a value element carrying xml:lang or xsi:type as its text', async () => {
      const xml = toXml('conversation', startDocument(lm, { subject: 'typed', payload: { chat: { clientInfo: { isRichTextSupported: 'false' } } } }))
        .replace('<conversation>', '<conversation xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')
        .replace('<subject>', '<subject xml:lang="en">')
        .replace('<isRichTextSupported>', '<isRichTextSupported xsi:type="xs:boolean">');
      const res = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml, headers: { 'Content-Type': 'application/xml' } });
      const [activity] = await stack.db.query('SELECT subject, rich_text FROM activity WHERE conversation_id = ?', [res.conversation.id]);
      expect(activity).toEqual({ subject: 'typed', rich_text: 0 });
    });

    it('refuses an element marked xsi:nil that holds white space (400-112 naming it), and reads an empty one as absent', async () => {
      const xml = (subject: string) =>
        toXml('conversation', startDocument(lm, { subject: 'x' }))
          .replace('<conversation>', '<conversation xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">')
          .replace('<subject>x</subject>', subject);
      const res = await expectRefused(stack, () => raw(xml('<subject xsi:nil="true"> </subject>'), 'application/xml', 'anonymousCustomer=yes'), 'BodyInvalid', 'activity.subject');
      expect(res.body.developerMessage).toBe('activity.subject is marked xsi:nil but has content');
      const ok = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml('<subject xsi:nil="true"/>'), headers: { 'Content-Type': 'application/xml' } });
      const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [ok.conversation.id]);
      expect(activity.subject).toBeNull();
    });

    it('reads an empty list in XML (<customAttributes/>) as JSON reads an empty array, and refuses an empty <contacts/> with the code JSON gets', async () => {
      const empty = { customAttributes: { customAttribute: [] } };
      for (const encoding of ['json', 'xml'] as const) await startOk(stack, startDocument(lm, empty), { token, query: 'anonymousCustomer=yes', encoding });
      const identified = (contact: Record<string, unknown>) => startDocument(lm, { customer: { contacts: { contact: [contact] } } });
      const email = { email: [{ emailAddress: uniqueEmail('empty-list') }] };
      await startOk(stack, identified({ ...email, customAttributes: { customAttribute: [] } }), { token, query: 'searchContactOnAttribute=email.emailAddress', encoding: 'xml' });
      const noContact = startDocument(lm, { customer: { contacts: { contact: [] } } });
      for (const encoding of ['json', 'xml'] as const) {
        await expectStartRefused(stack, noContact, { token, query: 'searchContactOnAttribute=email.emailAddress', encoding }, 'ContactCountInvalid', 'activity.customer.contacts.contact');
      }
    });

    it('refuses an XML document whose root is not conversation', async () => {
      const res = await expectRefused(stack, () => raw(toXml('request', anonymous), 'application/xml'), 'BodyInvalid');
      expect(res.body.details).toBe('(root)');
    });

    it('checks the query before the root element, and the root element before the body (Order of checks, 5 and 6)', async () => {
      await expectRefused(stack, () => raw('<request/>', 'application/xml', 'anonymousCustomer=yes&extra=1'), 'UnsupportedParameter', 'extra');
      // Under another root an empty document is the wrong document, not a missing body.
      await expectRefused(stack, () => raw('<request/>', 'application/xml'), 'BodyInvalid', '(root)');
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

    it.each([
      ['JSON', 'application/json', () => JSON.stringify(anonymous)],
      ['XML', 'application/xml', () => toXml('conversation', anonymous)],
    ])('reads a %s document with a byte order mark as a whole body and as a multipart part alike', async (_name, type, text) => {
      const bytes = new Uint8Array(Buffer.from(`\ufeff${text()}`));
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: bytes, headers: { 'Content-Type': type } });
      const form = new FormData();
      form.append('conversation', new Blob([bytes], { type }), 'c');
      await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: form });
    });

    it('refuses a multipart part with malformed JSON', async () => {
      const form = new FormData();
      form.append('conversation', new Blob(['{"a":'], { type: 'application/json' }), 'x.json');
      await expectRefused(stack, () => raw(form, undefined), 'BodyMalformed');
    });

    it.each(['null', '12', '"a string"', 'true'])('refuses the bare JSON value %s as malformed (400-111), as a whole body and as a multipart JSON part alike', async (json) => {
      await expectRefused(stack, () => raw(json, 'application/json'), 'BodyMalformed');
      const form = new FormData();
      form.append('conversation', new Blob([json], { type: 'application/json' }), 'x.json');
      await expectRefused(stack, () => raw(form, undefined), 'BodyMalformed');
    });

    it('refuses an empty multipart JSON part as a missing body (400-110), as an empty JSON body', async () => {
      const form = new FormData();
      form.append('conversation', new Blob([''], { type: 'application/json' }), 'x.json');
      await expectRefused(stack, () => raw(form, undefined), 'BodyMissing');
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

    it.each(['__proto__', 'constructor', 'toString'])('refuses an XML element named %s as a body error, not an internal one', async (name) => {
      const body = `<conversation><entryPointConfiguration><entryPoint id="1001"/><lastModified><date>${lm}</date></lastModified></entryPointConfiguration><activity><${name}>x</${name}></activity></conversation>`;
      await expectRefused(stack, () => raw(body, 'application/xml'), 'BodyInvalid', `activity.${name}`);
    });

    it('names a member given both as attribute and as element by its path, as JSON names its members', async () => {
      const customer = '<customer><contacts><contact><externalId>crm-1</externalId></contact></contacts></customer>';
      const epc = `<entryPointConfiguration><entryPoint id="1001"/><lastModified><date>${lm}</date></lastModified></entryPointConfiguration>`;
      await expectRefused(stack, () => raw(`<conversation>${epc}<activity><case id="1"><id>1</id></case>${customer}</activity></conversation>`, 'application/xml', 'searchContactOnAttribute=externalId'), 'BodyInvalid', 'activity.case.id');
      const both = `<conversation><entryPointConfiguration><entryPoint id="1001"><id>1001</id></entryPoint><lastModified><date>${lm}</date></lastModified></entryPointConfiguration></conversation>`;
      await expectRefused(stack, () => raw(both, 'application/xml', 'anonymousCustomer=yes'), 'BodyInvalid', 'entryPointConfiguration.entryPoint.id');
    });
  });
});
