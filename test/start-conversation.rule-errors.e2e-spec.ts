import { ALLOWED_ATTRIBUTE_VALUE } from '../src/platform/settings/attribute-rules';
import { clientOf, customerWithEmail, lastModified, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';
import { expectStartRefused, settledRowCounts, startOk } from './support/ws-error';

const SEARCH_EMAIL = 'searchContactOnAttribute=email.emailAddress';
const ANONYMOUS = 'anonymousCustomer=yes';

const attributes = (...pairs: [string, ...string[]][]) => ({
  customAttribute: pairs.map(([name, ...values]) => ({ attribName: name, attribValues: { attribValue: values.map((value) => ({ value })) } })),
});

/**
 * Start requests that are well-formed but break a rule of the contract: the customer and
 * its contact points, the case, the subject and client info, custom attributes. Each
 * refusal has its own code and leaves no row behind, even when the transaction had
 * already created a customer.
 */
describe('start conversation: refused by the rules of the body', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 1000 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const identified = (customer: unknown, activity: Record<string, unknown> = {}) => startDocument(lm, { ...activity, customer });
  const anonymous = (activity: Record<string, unknown> = {}) => startDocument(lm, activity);

  describe('entry point', () => {
    it('refuses an entry point that does not exist', async () => {
      await expectStartRefused(stack, startDocument(lm, undefined, '9999'), { token, query: ANONYMOUS }, 'EntryPointNotFound', 'entryPointConfiguration.entryPoint.id');
    });

    it('refuses an inactive entry point as if it did not exist', async () => {
      const lm2 = await lastModified(stack, token, '1002');
      await stack.db.query('UPDATE entry_point SET active = 0 WHERE id = 1002');
      try {
        await expectStartRefused(stack, startDocument(lm2, undefined, '1002'), { token, query: ANONYMOUS }, 'EntryPointNotFound');
      } finally {
        await stack.db.query('UPDATE entry_point SET active = 1 WHERE id = 1002');
      }
    });
  });

  describe('customer', () => {
    it('requires the customer with searchContactOnAttribute', async () => {
      await expectStartRefused(stack, anonymous({ subject: 'x' }), { token, query: SEARCH_EMAIL }, 'CustomerRequired', 'activity.customer');
    });

    it('refuses a customer with anonymousCustomer', async () => {
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail())), { token, query: ANONYMOUS }, 'CustomerNotAllowed', 'activity.customer');
    });

    it.each([
      ['no phone at all', 'mobile.phone', {}],
      ['a phone of another type', 'mobile.phone', { phone: [{ type: { value: 'home' }, phoneNo: '+1 555 0101' }] }],
      ['a blank phone number', 'mobile.phone', { phone: [{ type: { value: 'mobile' }, phoneNo: '   ' }] }],
      ['a social id of another network', 'social.twitterId', { social: [{ type: { value: 'facebook' }, socialId: 'ada' }] }],
      ['no externalId', 'externalId', {}],
      ['no such contact attribute', 'custom.loyalty_id', { customAttributes: attributes(['tier', 'gold']) }],
    ])('refuses a customer without the search attribute: %s', async (_name, attribute, extra) => {
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail(), extra)), { token, query: `searchContactOnAttribute=${attribute}` }, 'SearchAttributeMissing', 'activity.customer');
    });

    it.each([
      ['mobile.phone', {}],
      ['office.phone', { phone: [{ type: { value: 'mobile' }, phoneNo: '+1 555 0102' }] }],
      ['social.instagramId', { social: [{ type: { value: 'twitter' }, socialId: 'ada' }] }],
    ])('refuses a customer without the conversation contact %s', async (attribute, extra) => {
      const doc = identified(customerWithEmail(uniqueEmail(), extra));
      await expectStartRefused(stack, doc, { token, query: `${SEARCH_EMAIL}&conversationContact=${attribute}` }, 'ConversationContactMissing', 'activity.customer');
    });

    it('refuses an individual customer with no contact person or with two', async () => {
      await expectStartRefused(stack, identified({ contacts: { contact: [] } }), { token, query: SEARCH_EMAIL }, 'ContactCountInvalid');
      const two = { contacts: { contact: [{ email: [{ emailAddress: uniqueEmail() }] }, { email: [{ emailAddress: uniqueEmail() }] }] } };
      for (const encoding of ['json', 'xml', 'multipart'] as const) {
        await expectStartRefused(stack, identified(two), { token, encoding, query: SEARCH_EMAIL }, 'ContactCountInvalid', 'activity.customer.contacts.contact');
      }
    });

    it('supports individual customers only', async () => {
      const doc = identified({ type: { value: 'organization' }, ...customerWithEmail(uniqueEmail()) });
      await expectStartRefused(stack, doc, { token, query: SEARCH_EMAIL }, 'BodyInvalid', 'activity.customer.type.value');
    });

    it('refuses to search on a contact attribute that is not configured or not searchable', async () => {
      const customer = customerWithEmail(uniqueEmail(), { customAttributes: attributes(['tier', 'gold'], ['nickname', 'ada']) });
      await expectStartRefused(stack, identified(customer), { token, query: 'searchContactOnAttribute=custom.nickname' }, 'SearchAttributeNotSearchable', 'searchContactOnAttribute');
      await expectStartRefused(stack, identified(customer), { token, query: 'searchContactOnAttribute=custom.tier' }, 'SearchAttributeNotSearchable', 'searchContactOnAttribute');
    });

    it('checks the contact custom attributes of a customer it creates', async () => {
      const withAttributes = (...pairs: [string, ...string[]][]) => identified(customerWithEmail(uniqueEmail(), { customAttributes: attributes(...pairs) }));
      await expectStartRefused(stack, withAttributes(['nickname', 'ada']), { token, query: SEARCH_EMAIL }, 'ContactCustomAttributeUnknown');
      await expectStartRefused(stack, withAttributes(['tier', 'platinum']), { token, query: SEARCH_EMAIL }, 'CustomAttributeValueNotAllowed');
      await expectStartRefused(stack, withAttributes(['loyalty_id', 'L+1']), { token, query: SEARCH_EMAIL }, 'CustomAttributeInvalidCharacters');
      await expectStartRefused(stack, withAttributes(['loyalty_id', 'L'.repeat(33)]), { token, query: SEARCH_EMAIL }, 'CustomAttributeTooLong');
      await startOk(stack, withAttributes(['loyalty_id', 'L'.repeat(32)], ['tier', 'gold']), { token, query: SEARCH_EMAIL });
    });

    // An emoji presentation selector (U+FE0F) is a character of its own in a column: 200 of
    // "a" + U+FE0F are 400 characters, over the 255 of a name or an e-mail address.
    const selected200 = 'a\uFE0F'.repeat(200);

    it.each([
      ['firstName', { firstName: selected200 }],
      ['lastName', { lastName: selected200 }],
    ])('refuses a %s longer than 255 characters, counting each variation selector', async (field, extra) => {
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail(), extra)), { token, query: SEARCH_EMAIL }, 'BodyInvalid', `activity.customer.contacts.contact.0.${field}`);
    });

    it('refuses an e-mail address longer than 255 characters, counting each variation selector', async () => {
      const email = `a@${'b\uFE0F'.repeat(130)}.com`;
      await expectStartRefused(stack, identified(customerWithEmail(email)), { token, query: `${SEARCH_EMAIL}&conversationContact=email.emailAddress` }, 'BodyInvalid', 'activity.customer.contacts.contact.0.email.0.emailAddress');
    });

    it('keeps names and the conversation contact of 255 characters of four bytes each, as sent', async () => {
      const name = '\u{1F600}'.repeat(255);
      const email = `ada@${'\u{1F600}'.repeat(247)}.com`;
      const doc = identified(customerWithEmail(email, { firstName: name, lastName: name }));
      const { conversation } = await startOk(stack, doc, { token, query: `${SEARCH_EMAIL}&conversationContact=email.emailAddress` });
      const [customer] = await stack.db.query('SELECT first_name, last_name FROM customer WHERE id = ?', [conversation.customer.id]);
      expect(customer).toEqual({ first_name: name, last_name: name });
      const [activity] = await stack.db.query('SELECT contact_value FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(activity.contact_value).toBe(email);
    });

    it('finds more than one customer when two hold the same contact point', async () => {
      // B is created by its mobile number; A later by e-mail, with the same mobile as an ordinary contact point.
      const mobile = `+1 555 ${String(Date.now()).slice(-7)}`;
      await startOk(stack, identified({ contacts: { contact: [{ phone: [{ type: { value: 'mobile' }, phoneNo: mobile }] }] } }), { token, query: 'searchContactOnAttribute=mobile.phone' });
      const a = customerWithEmail(uniqueEmail('a'), { phone: [{ type: { value: 'mobile' }, phoneNo: mobile.replace(/ /g, '-') }] });
      await startOk(stack, identified(a), { token, query: SEARCH_EMAIL });
      const search = identified({ contacts: { contact: [{ phone: [{ type: { value: 'mobile' }, phoneNo: mobile.replace(/ /g, '') }] }] } });
      await expectStartRefused(stack, search, { token, query: 'searchContactOnAttribute=mobile.phone' }, 'MultipleContactsFound', 'searchContactOnAttribute');
    });
  });

  describe('case', () => {
    it('refuses a case with anonymousCustomer', async () => {
      await expectStartRefused(stack, anonymous({ case: { id: '1200' } }), { token, query: ANONYMOUS }, 'CaseNotAllowedForAnonymous', 'activity.case.id');
    });

    it('refuses a case that does not exist', async () => {
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail()), { case: { id: '987654321' } }), { token, query: SEARCH_EMAIL }, 'CaseNotFound', 'activity.case.id');
    });

    it("refuses another customer's case, and the new customer is rolled back with it", async () => {
      const owner = await startOk(stack, identified(customerWithEmail(uniqueEmail('owner'))), { token, query: SEARCH_EMAIL });
      const caseId = owner.conversation.case.id;
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail('other')), { case: { id: caseId } }), { token, query: SEARCH_EMAIL }, 'CaseBelongsToAnotherCustomer', 'activity.case.id');
      // the case id as a number, in XML
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail('other')), { case: { id: Number(caseId) } }), { token, encoding: 'xml', query: SEARCH_EMAIL }, 'CaseBelongsToAnotherCustomer');
    });

    it('refuses the case of an anonymous conversation', async () => {
      const anon = await startOk(stack, anonymous(), { token, query: ANONYMOUS });
      await expectStartRefused(stack, identified(customerWithEmail(uniqueEmail()), { case: { id: anon.conversation.case.id } }), { token, query: SEARCH_EMAIL }, 'CaseBelongsToAnotherCustomer');
    });

    it("accepts the customer's own case", async () => {
      const email = uniqueEmail('own');
      const first = await startOk(stack, identified(customerWithEmail(email)), { token, query: SEARCH_EMAIL });
      const second = await startOk(stack, identified(customerWithEmail(email.toUpperCase()), { case: { id: Number(first.conversation.case.id) } }), { token, query: SEARCH_EMAIL });
      expect(second.conversation.case.id).toBe(first.conversation.case.id);
    });
  });

  describe('subject and client info', () => {
    it.each([
      ['empty', ''],
      ['256 characters', 's'.repeat(256)],
      ['far too long', 's'.repeat(5000)],
      ['a control character', 'hello\u0007'],
      ['markup', 'hello <b>world</b>'],
    ])('refuses a subject that is %s', async (_name, subject) => {
      await expectStartRefused(stack, anonymous({ subject }), { token, query: ANONYMOUS }, 'SubjectInvalid', 'activity.subject');
    });

    it('refuses an empty subject in XML', async () => {
      await expectStartRefused(stack, anonymous({ subject: '' }), { token, encoding: 'xml', query: ANONYMOUS }, 'SubjectInvalid');
    });

    it('accepts a subject of 255 characters, counting characters rather than bytes', async () => {
      const { conversation } = await startOk(stack, anonymous({ subject: '\u{1F600}'.repeat(255) }), { token, query: ANONYMOUS });
      const [row] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect([...row.subject]).toHaveLength(255);
    });

    it.each([
      ['isRichTextSupported', 'yes'],
      ['isRichTextSupported', 'TRUE'],
      ['isRichTextSupported', 'perhaps'],
      ['timeOffset', 'UTC+1'],
      ['referrerURL', 'javascript:alert(1)'],
    ])('refuses clientInfo.%s = %p', async (field, value) => {
      const doc = anonymous({ payload: { chat: { clientInfo: { [field]: value } } } });
      await expectStartRefused(stack, doc, { token, query: ANONYMOUS }, 'ClientInfoInvalid', `activity.payload.chat.clientInfo.${field}`);
    });

    it('takes isRichTextSupported as a JSON boolean too', async () => {
      const { conversation } = await startOk(stack, anonymous({ payload: { chat: { clientInfo: { isRichTextSupported: false } } } }), { token, query: ANONYMOUS });
      const [row] = await stack.db.query('SELECT rich_text FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(row.rich_text).toBe(0);
    });
  });

  describe('U+FFFE and U+FFFF, which XML answers and callbacks cannot carry', () => {
    it.each(['\uFFFE', '\uFFFF'])('refuses %p in the subject, client info, contact details and attribute values of a JSON start', async (odd) => {
      const identifiedWith = (contact: Record<string, unknown>, activity: Record<string, unknown> = {}) => identified(customerWithEmail(uniqueEmail(), contact), activity);
      await expectStartRefused(stack, anonymous({ subject: `odd ${odd} one` }), { token, query: ANONYMOUS }, 'SubjectInvalid', 'activity.subject');
      await expectStartRefused(stack, anonymous({ payload: { chat: { clientInfo: { referrerName: `odd ${odd}` } } } }), { token, query: ANONYMOUS }, 'ClientInfoInvalid', 'activity.payload.chat.clientInfo.referrerName');
      await expectStartRefused(stack, identifiedWith({ firstName: `Ada${odd}` }), { token, query: SEARCH_EMAIL }, 'ContactDetailInvalid', 'activity.customer.contacts.contact.firstName');
      await expectStartRefused(stack, identifiedWith({ externalId: `ext-${odd}` }), { token, query: SEARCH_EMAIL }, 'ContactDetailInvalid', 'activity.customer.contacts.contact.externalId');
      await expectStartRefused(stack, anonymous({ customAttributes: attributes(['order_note', `note ${odd}`]) }), { token, query: ANONYMOUS }, 'CustomAttributeInvalidCharacters', 'activity.customAttributes.order_note');
      await expectStartRefused(stack, identifiedWith({ customAttributes: attributes(['loyalty_id', `L${odd}`]) }), { token, query: SEARCH_EMAIL }, 'CustomAttributeInvalidCharacters');
    });
  });

  describe('activity custom attributes', () => {
    const withAttributes = (...pairs: [string, ...string[]][]) => anonymous({ customAttributes: attributes(...pairs) });

    it('refuses an attribute that is not configured, and a contact attribute used as an activity one', async () => {
      await expectStartRefused(stack, withAttributes(['colour', 'red']), { token, query: ANONYMOUS }, 'CustomAttributeUnknown', 'activity.customAttributes.colour');
      await expectStartRefused(stack, withAttributes(['tier', 'gold']), { token, query: ANONYMOUS }, 'CustomAttributeUnknown');
    });

    it('refuses an enumerated value that is not listed, compared exactly', async () => {
      await expectStartRefused(stack, withAttributes(['order_channel', 'phone']), { token, query: ANONYMOUS }, 'CustomAttributeValueNotAllowed', 'activity.customAttributes.order_channel');
      await expectStartRefused(stack, withAttributes(['order_channel', 'Web']), { token, query: ANONYMOUS }, 'CustomAttributeValueNotAllowed');
      await expectStartRefused(stack, withAttributes(['order_channel', 'web', 'fax']), { token, query: ANONYMOUS }, 'CustomAttributeValueNotAllowed');
    });

    it('refuses every ASCII character outside the allowed set, and accepts the rest', async () => {
      const before = await settledRowCounts(stack);
      const refused: string[] = [];
      for (let code = 0; code < 128; code++) {
        const value = `a${String.fromCharCode(code)}b`;
        if (ALLOWED_ATTRIBUTE_VALUE.test(value)) continue;
        refused.push(value);
        await expectStartRefused(stack, withAttributes(['order_note', value]), { token, query: ANONYMOUS }, 'CustomAttributeInvalidCharacters', 'activity.customAttributes.order_note');
      }
      for (const forbidden of ['+', '/', '<', ';', '\u0000', '\n', '\u007f', '\\']) expect(refused).toContain(`a${forbidden}b`);
      expect(await stack.rowCounts()).toEqual(before);

      const allowedAscii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)).filter((ch) => ALLOWED_ATTRIBUTE_VALUE.test(ch)).join('');
      const values = [allowedAscii.slice(0, 50), allowedAscii.slice(50), 'caf\u00e9 \u20ac \u{1F600} \u00a0\u0085 \u4e2d\u6587'];
      const { conversation } = await startOk(stack, withAttributes(['order_note', ...values]), { token, query: ANONYMOUS });
      const [row] = await stack.db.query('SELECT custom_attributes FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(row.custom_attributes).toEqual([{ name: 'order_note', values }]);
    });

    it('accepts the allowed characters in XML too, including escaped ones', async () => {
      const value = `Tom & Jerry's "shop" (#1) = ok?`;
      const { conversation } = await startOk(stack, withAttributes(['order_note', value]), { token, encoding: 'xml', query: ANONYMOUS });
      const [row] = await stack.db.query('SELECT custom_attributes FROM activity WHERE conversation_id = ?', [conversation.id]);
      expect(row.custom_attributes).toEqual([{ name: 'order_note', values: [value] }]);
    });

    it('refuses a value longer than the configured maximum, counting characters', async () => {
      await expectStartRefused(stack, withAttributes(['order_note', 'x'.repeat(51)]), { token, query: ANONYMOUS }, 'CustomAttributeTooLong', 'activity.customAttributes.order_note');
      await expectStartRefused(stack, withAttributes(['order_note', 'x'.repeat(5000)]), { token, query: ANONYMOUS }, 'CustomAttributeTooLong');
      await startOk(stack, withAttributes(['order_note', '\u00e9'.repeat(50)]), { token, query: ANONYMOUS });
    });
  });
});
