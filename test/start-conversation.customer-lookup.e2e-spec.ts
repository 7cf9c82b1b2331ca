import { EmailDomainLookupKey1765300000001 } from '../src/migrations/1765300000001-email-domain-lookup-key';
import { PhoneLookupKey1765300000002 } from '../src/migrations/1765300000002-phone-lookup-key';
import { SocialHandleLookupKey1765300000003 } from '../src/migrations/1765300000003-social-handle-lookup-key';
import { lastModified, login, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';
import { expectStartRefused, startOk } from './support/ws-error';

type Contact = Record<string, unknown>;

const phone = (type: string, phoneNo: string): Contact => ({ phone: [{ type: { value: type }, phoneNo }] });
const social = (type: string, socialId: string): Contact => ({ social: [{ type: { value: type }, socialId }] });
const custom = (name: string, value: string): Contact => ({ customAttributes: { customAttribute: [{ attribName: name, attribValues: { attribValue: [{ value }] } }] } });

let seq = 0;
/** A value no other test uses, so each lookup starts from "no such customer". */
const unique = () => `${process.pid % 10000}${Date.now() % 100000}${seq++}`;

/**
 * Customer lookup on each of the nine kinds of contact attribute: a second start with the
 * same value, formatted differently where normalization applies, finds the customer the
 * first one created. Customer departmentalization on and off.
 */
describe('start conversation: customer lookup', () => {
  let stack: Stack;
  let token: string;
  let lm: Record<string, string>;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 1000 });
    token = await login(stack);
    lm = { 1001: await lastModified(stack, token, '1001'), 1002: await lastModified(stack, token, '1002') };
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function startFor(attribute: string, contact: Contact, entryPointId = '1001'): Promise<string> {
    const doc = startDocument(lm[entryPointId], { customer: { contacts: { contact: [contact] } } }, entryPointId);
    const { conversation } = await startOk(stack, doc, { token, query: `searchContactOnAttribute=${attribute}` });
    return conversation.customer.id as string;
  }

  const customerCount = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM customer'))[0].n);
  const setDepartmentalization = (on: boolean) =>
    stack.db.query("UPDATE system_setting SET value = ? WHERE name = 'customer_departmentalization'", [on ? 'true' : 'false']);

  describe.each([
    ['email.emailAddress', (u: string) => ({ email: [{ emailAddress: `Ada.${u}@Example.COM` }] }), (u: string) => ({ email: [{ emailAddress: ` ada.${u}@example.com ` }] })],
    ['home.phone', (u: string) => phone('home', `+44 20 ${u}`), (u: string) => phone('home', `+44-(20)-${u.slice(0, 3)}.${u.slice(3)}`)],
    ['mobile.phone', (u: string) => phone('mobile', `+1 555 ${u}`), (u: string) => phone('mobile', `+1555${u}`)],
    ['office.phone', (u: string) => phone('office', `0049 30/${u}`), (u: string) => phone('office', `0049 30 ${u}`)],
    ['social.facebookId', (u: string) => social('facebook', `Ada.Lovelace.${u}`), (u: string) => social('facebook', `ada.lovelace.${u}`)],
    ['social.twitterId', (u: string) => social('twitter', `AdaL_${u}`), (u: string) => social('twitter', `adal_${u}`)],
    ['social.instagramId', (u: string) => social('instagram', `ada_${u}`), (u: string) => social('instagram', ` ADA_${u}`)],
    ['externalId', (u: string) => ({ externalId: `crm-${u}` }), (u: string) => ({ externalId: ` crm-${u} ` })],
    ['custom.loyalty_id', (u: string) => custom('loyalty_id', `L-${u}`), (u: string) => custom('loyalty_id', `L-${u} `)],
  ] as const)('%s', (attribute, first, second) => {
    it('finds the customer the first start created, from a differently formatted value', async () => {
      const u = unique();
      const before = await customerCount();
      const created = await startFor(attribute, { firstName: 'Ada', ...first(u) });
      expect(await customerCount()).toBe(before + 1);
      const found = await startFor(attribute, { firstName: 'Someone else', ...second(u) });
      expect(found).toBe(created);
      expect(await customerCount()).toBe(before + 1);
      // The key row carries the lookup scope; a found customer keeps its own details.
      const keys = await stack.db.query('SELECT attribute, lookup_scope FROM contact_point WHERE customer_id = ? AND lookup_scope IS NOT NULL', [created]);
      expect(keys).toEqual([{ attribute, lookup_scope: '0' }]);
      const [row] = await stack.db.query('SELECT first_name, department_id FROM customer WHERE id = ?', [created]);
      expect(row).toEqual({ first_name: 'Ada', department_id: null });
      const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM contact_point WHERE customer_id = ?', [created]);
      expect(Number(n)).toBe(1);
    });
  });

  it.each([
    ['externalId', (v: string) => ({ externalId: v })],
    ['social.twitterId', (v: string) => social('twitter', v)],
  ] as const)('%s of 255 characters of four bytes each: accepted, stored whole and found again; 256 are refused', async (attribute, contact) => {
    // Characters are counted as code points (as the column counts them), not UTF-16 units: an emoji is one.
    const u = unique();
    const value = `${u}${'\u{1F600}'.repeat(255 - u.length)}`;
    expect([...value]).toHaveLength(255);
    const created = await startFor(attribute, contact(value));
    expect(await startFor(attribute, contact(value))).toBe(created);
    const [row] = await stack.db.query('SELECT value FROM contact_point WHERE customer_id = ? AND attribute = ?', [created, attribute]);
    expect(row.value).toBe(value);
    const doc = startDocument(lm[1001], { customer: { contacts: { contact: [contact(`${value}x`)] } } });
    await expectStartRefused(stack, doc, { token, query: `searchContactOnAttribute=${attribute}` }, 'BodyInvalid');
  });

  it('a phone number of 64 characters, the most the request allows: accepted, stored whole and found again; 65 are refused', async () => {
    const digits = unique();
    const value = `+44 (20) ${digits} ${'0 '.repeat(30)}`.slice(0, 63).trimEnd().padEnd(63, '0') + '1';
    expect(value).toHaveLength(64);
    const created = await startFor('mobile.phone', phone('mobile', value));
    expect(await startFor('mobile.phone', phone('mobile', value.replace(/ /g, '')))).toBe(created);
    const [row] = await stack.db.query('SELECT value FROM contact_point WHERE customer_id = ?', [created]);
    expect(row.value).toBe(value);
    const doc = startDocument(lm[1001], { customer: { contacts: { contact: [phone('mobile', `${value}1`)] } } });
    await expectStartRefused(stack, doc, { token, query: 'searchContactOnAttribute=mobile.phone' }, 'BodyInvalid', 'activity.customer.contacts.contact.0.phone.0.phoneNo');
  });

  it('an identifier sent as a JSON number is read exactly, or refused: two ids past 2^53 never merge', async () => {
    /** The start as JSON text, the identifier `text` written as the bare number `number`. */
    const unquoted = (contact: Contact, text: string, number: string, query: string) => ({
      token, query, raw: JSON.stringify(startDocument(lm[1001], { customer: { contacts: { contact: [contact] } } })).replace(`"${text}"`, number),
      headers: { 'Content-Type': 'application/json' },
    });
    // 2^53 + 1 reads as 2^53 in a double.
    const [a, b] = ['9007199254740992', '9007199254740993'];
    for (const id of [a, b]) {
      await expectStartRefused(stack, undefined, unquoted(social('facebook', id), id, id, 'searchContactOnAttribute=social.facebookId'), 'BodyInvalid', 'activity.customer.contacts.contact.0.social.0.socialId');
    }
    await expectStartRefused(stack, undefined, unquoted({ externalId: 'x' }, 'x', '1e21', 'searchContactOnAttribute=externalId'), 'BodyInvalid', 'activity.customer.contacts.contact.0.externalId');
    // As text, or as a number JSON carries exactly, each is its own customer.
    expect(await startFor('social.facebookId', social('facebook', a))).not.toBe(await startFor('social.facebookId', social('facebook', b)));
    const small = String(Number(unique().slice(-9)));
    const created = await startFor('externalId', { externalId: small });
    const { conversation } = await startOk(stack, undefined, unquoted({ externalId: small }, small, small, 'searchContactOnAttribute=externalId'));
    expect(conversation.customer.id).toBe(created);
  });

  it('does not match a different value: externalId and custom attributes are case-sensitive', async () => {
    const u = unique();
    const a = await startFor('externalId', { externalId: `crm-${u}` });
    expect(await startFor('externalId', { externalId: `CRM-${u}` })).not.toBe(a);
    const b = await startFor('custom.loyalty_id', custom('loyalty_id', `l-${u}`));
    expect(await startFor('custom.loyalty_id', custom('loyalty_id', `L-${u}`))).not.toBe(b);
  });

  it('an internationalised domain is one domain in Unicode or ASCII (xn--) form; the migration re-keys addresses stored before', async () => {
    const u = unique();
    const email = (domain: string) => ({ email: [{ emailAddress: `ada.${u}@${domain}` }] });
    const created = await startFor('email.emailAddress', email('b\u00fccher.example'));
    expect(await startFor('email.emailAddress', email('XN--BCHER-KVA.example'))).toBe(created);
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM contact_point WHERE customer_id = ?', [created]);
    expect(Number(n)).toBe(1);

    // As addresses were keyed before: only lower-cased. The migration re-keys them.
    const stored = await startFor('email.emailAddress', email('xn--mnchen-3ya.example'));
    await stack.db.query('UPDATE contact_point SET normalized_value = ? WHERE customer_id = ?', [`ada.${u}@xn--mnchen-3ya.example`, stored]);
    const runner = stack.db.createQueryRunner();
    try {
      await new EmailDomainLookupKey1765300000001().up(runner);
    } finally {
      await runner.release();
    }
    expect(await startFor('email.emailAddress', email('m\u00fcnchen.example'))).toBe(stored);
    expect(await startFor('email.emailAddress', email('xn--mnchen-3ya.example'))).toBe(stored);
  });

  it("an international number is one number with or without the national prefix its country drops, '+44 (0)20 …'; the migration re-keys numbers stored before", async () => {
    const u = unique().slice(-7).padStart(7, '1');
    const created = await startFor('office.phone', phone('office', `+44 (0)20 7${u.slice(1, 4)} ${u.slice(4)}`));
    expect(await startFor('office.phone', phone('office', `+44 20 7${u.slice(1)}`))).toBe(created);
    expect(await startFor('office.phone', phone('office', `+44 020 7${u.slice(1)}`))).toBe(created);

    // As numbers were keyed before: only stripped of spaces and punctuation. The migration re-keys them.
    const v = unique().slice(-7).padStart(7, '2');
    const stored = await startFor('office.phone', phone('office', `+49 (0)30 ${v}`));
    await stack.db.query('UPDATE contact_point SET normalized_value = ? WHERE customer_id = ?', [`+49030${v}`, stored]);
    const runner = stack.db.createQueryRunner();
    try {
      await new PhoneLookupKey1765300000002().up(runner);
    } finally {
      await runner.release();
    }
    expect(await startFor('office.phone', phone('office', `+49 30 ${v}`))).toBe(stored);
  });

  it("a social handle is one with or without its '@'; the migration re-keys handles stored before", async () => {
    const u = unique();
    const created = await startFor('social.twitterId', social('twitter', `@AdaL_${u}`));
    expect(await startFor('social.twitterId', social('twitter', `adal_${u}`))).toBe(created);

    // As handles were keyed before: with their '@'. The migration re-keys them.
    const stored = await startFor('social.instagramId', social('instagram', `@ada_${u}`));
    await stack.db.query('UPDATE contact_point SET normalized_value = ? WHERE customer_id = ?', [`@ada_${u}`, stored]);
    const runner = stack.db.createQueryRunner();
    try {
      await new SocialHandleLookupKey1765300000003().up(runner);
    } finally {
      await runner.release();
    }
    expect(await startFor('social.instagramId', social('instagram', `ada_${u}`))).toBe(stored);
    expect(await startFor('social.instagramId', social('instagram', `@ADA_${u}`))).toBe(stored);
  });

  it('a phone number copied with no-break spaces and en dashes is accepted, and is the number written with spaces and hyphens', async () => {
    const u = unique().slice(-6).padStart(6, '3');
    const created = await startFor('mobile.phone', phone('mobile', `+33 6 ${u.slice(0, 2)} ${u.slice(2, 4)} ${u.slice(4)} 00`));
    expect(await startFor('mobile.phone', phone('mobile', `+33\u00a06\u202f${u.slice(0, 2)}\u00a0${u.slice(2, 4)}\u2013${u.slice(4)}\u00a000`))).toBe(created);
    const [row] = await stack.db.query('SELECT COUNT(*) AS n FROM contact_point WHERE customer_id = ?', [created]);
    expect(Number(row.n)).toBe(1);
  });

  it('searches a phone number only among phones of the same type', async () => {
    const number = `+33 1 ${unique()}`;
    const mobile = await startFor('mobile.phone', phone('mobile', number));
    const home = await startFor('home.phone', phone('home', number));
    expect(home).not.toBe(mobile);
  });

  it('searches on the first value given, among all stored contact points', async () => {
    const [first, second] = [uniqueEmail('first'), uniqueEmail('second')];
    const created = await startFor('email.emailAddress', { email: [{ emailAddress: first }, { emailAddress: second }] });
    expect(await startFor('email.emailAddress', { email: [{ emailAddress: second.toUpperCase() }] })).toBe(created);
    expect(await startFor('email.emailAddress', { email: [{ emailAddress: uniqueEmail('third') }, { emailAddress: first }] })).not.toBe(created);
  });

  describe('customer departmentalization', () => {
    afterEach(async () => {
      await setDepartmentalization(false);
    });

    it('on: one customer per department, created in the entry point department', async () => {
      await setDepartmentalization(true);
      const email = uniqueEmail('dept');
      const sales = await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1001');
      const support = await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1002');
      expect(support).not.toBe(sales);
      expect(await startFor('email.emailAddress', { email: [{ emailAddress: email.toUpperCase() }] }, '1001')).toBe(sales);
      expect(await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1002')).toBe(support);
      const rows = await stack.db.query(
        'SELECT c.id, c.department_id, p.lookup_scope FROM customer c JOIN contact_point p ON p.customer_id = c.id WHERE c.id IN (?, ?) ORDER BY c.id',
        [sales, support],
      );
      expect(rows).toEqual([
        { id: sales, department_id: '1', lookup_scope: '1' },
        { id: support, department_id: '2', lookup_scope: '2' },
      ]);
    });

    it('off: one customer across departments', async () => {
      const email = uniqueEmail('nodept');
      const sales = await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1001');
      expect(await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1002')).toBe(sales);
      const [row] = await stack.db.query('SELECT department_id FROM customer WHERE id = ?', [sales]);
      expect(row.department_id).toBeNull();
    });

    it('answers 400 "customer creation failed" when the key is taken by a customer the search cannot see', async () => {
      await setDepartmentalization(true);
      const email = uniqueEmail('ghost');
      const id = await startFor('email.emailAddress', { email: [{ emailAddress: email }] }, '1001');
      // Only a damaged row can do this: the key in department 1's scope, the row in no department.
      await stack.db.query('UPDATE contact_point SET department_id = NULL WHERE customer_id = ?', [id]);
      const doc = startDocument(lm['1001'], { customer: { contacts: { contact: [{ email: [{ emailAddress: email }] }] } } });
      await expectStartRefused(stack, doc, { token, query: 'searchContactOnAttribute=email.emailAddress' }, 'CustomerCreationFailed', 'activity.customer');
    });
  });
});
