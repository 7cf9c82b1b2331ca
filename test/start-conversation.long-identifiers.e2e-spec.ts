import { ContactLookupKey1764700000000 } from '../src/migrations/1764700000000-contact-lookup-key';
import { normalizeContactValue } from '../src/modules/customer/domain/contact-attribute';
import { lastModified, login, startDocument } from './support/client';
import { Stack } from './support/stack';
import { startOk } from './support/ws-error';

type Contact = Record<string, unknown>;

let seq = 0;
const unique = () => `${Date.now() % 100000}${seq++}`;
/** U+0958 is two code points in NFC, so 200 of them normalize to 400. */
const qa200 = '\u0958'.repeat(200);
/** `İ` lower-cases to `i` and a combining dot: 200 become 400. */
const dottedI200 = '\u0130'.repeat(200);

const social = (type: string, socialId: string): Contact => ({ social: [{ type: { value: type }, socialId }] });
const custom = (name: string, value: string): Contact => ({ customAttributes: { customAttribute: [{ attribName: name, attribValues: { attribValue: [{ value }] } }] } });

/**
 * Identifiers whose normalized form is longer than the 255 characters the lookup key
 * column holds: a returning customer is found again, and two identifiers that differ only
 * after their 255th normalized character stay two customers.
 */
describe('start conversation: identifiers that normalization makes long', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 1000 });
    token = await login(stack);
    lm = await lastModified(stack, token, '1001');
    // Searchable custom attributes may be up to 4000 characters long.
    await stack.db.query("UPDATE attribute_definition SET max_length = 4000 WHERE scope = 'contact' AND name = 'loyalty_id'");
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function startFor(attribute: string, contact: Contact): Promise<string> {
    const doc = startDocument(lm, { customer: { contacts: { contact: [contact] } } });
    const { conversation } = await startOk(stack, doc, { token, query: `searchContactOnAttribute=${attribute}` });
    return conversation.customer.id as string;
  }

  const customerCount = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM customer'))[0].n);
  const keyOf = async (customerId: string) =>
    (await stack.db.query('SELECT normalized_value FROM contact_point WHERE customer_id = ? AND lookup_scope IS NOT NULL', [customerId]))[0].normalized_value as string;

  it.each([
    ['externalId', () => ({ externalId: `${qa200}${unique()}` })],
    ['social.twitterId', () => social('twitter', `${dottedI200}${unique()}`)],
    ['social.instagramId', () => social('instagram', `${dottedI200}${unique()}`)],
    ['email.emailAddress', () => ({ email: [{ emailAddress: `${'\u0130'.repeat(60)}@${'\u0130'.repeat(150)}${unique()}.com` }] })],
    ['custom.loyalty_id', () => custom('loyalty_id', `L${'x'.repeat(300)}${unique()}`)],
  ] as const)('%s: the second identical start finds the customer the first created', async (attribute, contact) => {
    const c = contact();
    const before = await customerCount();
    const created = await startFor(attribute, c);
    expect(await startFor(attribute, c)).toBe(created);
    expect(await customerCount()).toBe(before + 1);
    expect(await keyOf(created)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('keeps apart identifiers that differ only after their 255th normalized character', async () => {
    const u = unique();
    const a = await startFor('externalId', { externalId: `${qa200}${u}a` });
    const b = await startFor('externalId', { externalId: `${qa200}${u}b` });
    expect(b).not.toBe(a);
    expect(await startFor('externalId', { externalId: `${qa200}${u}a` })).toBe(a);
    expect(await startFor('externalId', { externalId: `${qa200}${u}b` })).toBe(b);

    const x = await startFor('social.facebookId', social('facebook', `${dottedI200}${u}x`));
    const y = await startFor('social.facebookId', social('facebook', `${dottedI200}${u}y`));
    expect(y).not.toBe(x);
  });

  it('an identifier that looks like a stored digest does not find that customer', async () => {
    const created = await startFor('externalId', { externalId: `${qa200}${unique()}` });
    const lookalike = await startFor('externalId', { externalId: await keyOf(created) });
    expect(lookalike).not.toBe(created);
  });

  it('the migration re-keys customers stored under a cut key, so they are found again', async () => {
    const externalId = `${qa200}${unique()}`;
    const loyaltyId = `L${'y'.repeat(300)}${unique()}`;
    const byExternalId = await startFor('externalId', { externalId });
    const byLoyaltyId = await startFor('custom.loyalty_id', custom('loyalty_id', loyaltyId));
    // As rows were written before: the normalized value cut to the column.
    const cut = (attribute: string, value: string) => normalizeContactValue(attribute, value).slice(0, 255);
    await stack.db.query('UPDATE contact_point SET normalized_value = ? WHERE customer_id = ?', [cut('externalId', externalId), byExternalId]);
    await stack.db.query('UPDATE contact_point SET value = ?, normalized_value = ? WHERE customer_id = ?', [loyaltyId.slice(0, 255), cut('custom.loyalty_id', loyaltyId), byLoyaltyId]);

    const runner = stack.db.createQueryRunner();
    try {
      await new ContactLookupKey1764700000000().down(runner);
      await new ContactLookupKey1764700000000().up(runner);
    } finally {
      await runner.release();
    }

    const before = await customerCount();
    expect(await startFor('externalId', { externalId })).toBe(byExternalId);
    expect(await startFor('custom.loyalty_id', custom('loyalty_id', loyaltyId))).toBe(byLoyaltyId);
    expect(await customerCount()).toBe(before);
  });
});
