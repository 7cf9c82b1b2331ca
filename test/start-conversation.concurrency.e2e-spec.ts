import { clientOf, customerWithEmail, start, startDocument, uniqueEmail, type HttpResult } from './support/client';
import { Stack } from './support/stack';

const PARALLEL = 20;

/** Far fewer connections than parallel starts: a start must never need a second connection while it holds one. */
const POOL_SIZE = 4;

// A pool deadlock hangs every request: fail in seconds rather than minutes.
jest.setTimeout(20_000);

/**
 * Race tests (N starts in parallel, then the invariant): concurrent starts for one new
 * customer end with exactly one customer, whose every start got its activity; concurrent
 * starts for different customers do not disturb each other. The api runs with a small
 * connection pool, so that any pool deadlock shows up as a hang.
 */
describe('start conversation: concurrent starts', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  // Not the stack's start-up, which is no request: migrations and two processes' boot take
  // longer than 20 s on a loaded machine.
  beforeAll(async () => {
    stack = await Stack.start({ env: { DB_POOL_SIZE: String(POOL_SIZE) }, agentCapacity: 1000 });
    ({ token, lm } = await clientOf(stack));
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const conversationOf = (res: HttpResult) => {
    if (res.status !== 200) throw new Error(`start failed: ${res.status} ${res.text}`);
    return res.body.conversation;
  };

  /** Each start committed its activity with the outbox row that hands it to assignment. */
  async function expectAllHandedToAssignment(conversationIds: string[]): Promise<void> {
    const rows: { id: string; conversation_id: string }[] = await stack.db.query(
      `SELECT a.id, a.conversation_id FROM activity a JOIN outbox o ON o.job_id = CONCAT('assign:', a.id) WHERE a.conversation_id IN (${conversationIds.map(() => '?').join(',')})`,
      conversationIds,
    );
    expect(new Set(rows.map((r) => r.conversation_id))).toEqual(new Set(conversationIds));
  }

  it(`${PARALLEL} parallel starts for one new customer: one customer, ${PARALLEL} activities`, async () => {
    const email = uniqueEmail('race');
    // Differently written forms of one address: the race is on the normalized key.
    const forms = [email, email.toUpperCase(), ` ${email}`];
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
      start(stack, startDocument(lm, { customer: customerWithEmail(forms[i % forms.length]) }), { token, query: 'searchContactOnAttribute=email.emailAddress' }),
    ));
    const conversations = responses.map(conversationOf);
    const customerIds = new Set(conversations.map((c) => c.customer.id));
    expect(customerIds.size).toBe(1);
    const [customerId] = customerIds;

    const [{ customers }] = await stack.db.query('SELECT COUNT(DISTINCT customer_id) AS customers FROM contact_point WHERE normalized_value = ?', [email]);
    expect(Number(customers)).toBe(1);
    const [{ points }] = await stack.db.query('SELECT COUNT(*) AS points FROM contact_point WHERE customer_id = ?', [customerId]);
    expect(Number(points)).toBe(1);
    const [{ activities, cases }] = await stack.db.query('SELECT COUNT(*) AS activities, COUNT(DISTINCT case_id) AS cases FROM activity WHERE customer_id = ?', [customerId]);
    expect(Number(activities)).toBe(PARALLEL);
    expect(Number(cases)).toBe(PARALLEL);
    expect(new Set(conversations.map((c) => c.id)).size).toBe(PARALLEL);
    await expectAllHandedToAssignment(conversations.map((c) => c.id));
  });

  it(`${PARALLEL} parallel starts on a phone number in different formats: one customer`, async () => {
    const digits = String(Date.now()).slice(-7);
    const forms = [`+1 555 ${digits}`, `+1-555-${digits}`, `+1 (555) ${digits.slice(0, 3)} ${digits.slice(3)}`, `+1555${digits}`];
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
      start(stack, startDocument(lm, { customer: { contacts: { contact: [{ phone: [{ type: { value: 'mobile' }, phoneNo: forms[i % forms.length] }] }] } } }), {
        token, query: 'searchContactOnAttribute=mobile.phone', encoding: i % 2 === 0 ? 'json' : 'xml',
      }),
    ));
    const customerIds = new Set(responses.map((r) => conversationOf(r).customer.id));
    expect(customerIds.size).toBe(1);
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM contact_point WHERE attribute = ? AND normalized_value = ?', ['mobile.phone', `+1555${digits}`]);
    expect(Number(n)).toBe(1);
  });

  it(`${PARALLEL} parallel starts for one new customer, searched on its e-mail address or its mobile number: one customer`, async () => {
    const email = uniqueEmail('either');
    const mobile = `+1 555 ${String(Date.now()).slice(-7)}`;
    const contact = { email: [{ emailAddress: email }], phone: [{ type: { value: 'mobile' }, phoneNo: mobile }] };
    const responses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) =>
      start(stack, startDocument(lm, { customer: { contacts: { contact: [contact] } } }), {
        token, query: `searchContactOnAttribute=${i % 2 === 0 ? 'email.emailAddress' : 'mobile.phone'}`, encoding: i % 4 < 2 ? 'json' : 'xml',
      }),
    ));
    const customerIds = new Set(responses.map((r) => conversationOf(r).customer.id));
    expect(customerIds.size).toBe(1);
    const [{ customers }] = await stack.db.query('SELECT COUNT(DISTINCT customer_id) AS customers FROM contact_point WHERE attribute = ? AND normalized_value = ?', ['email.emailAddress', email]);
    expect(Number(customers)).toBe(1);
    // Later starts find it on either attribute, rather than two customers (400-129).
    for (const search of ['email.emailAddress', 'mobile.phone']) {
      const again = await start(stack, startDocument(lm, { customer: { contacts: { contact: [contact] } } }), { token, query: `searchContactOnAttribute=${search}` });
      expect(conversationOf(again).customer.id).toBe([...customerIds][0]);
    }
  });

  it(`${PARALLEL} parallel starts for ${PARALLEL} different customers: ${PARALLEL} customers`, async () => {
    const emails = Array.from({ length: PARALLEL }, () => uniqueEmail('many'));
    const [{ n0 }] = await stack.db.query('SELECT COUNT(*) AS n0 FROM customer');
    const responses = await Promise.all(emails.map((email) =>
      start(stack, startDocument(lm, { customer: customerWithEmail(email) }), { token, query: 'searchContactOnAttribute=email.emailAddress' }),
    ));
    const conversations = responses.map(conversationOf);
    expect(new Set(conversations.map((c) => c.customer.id)).size).toBe(PARALLEL);
    const [{ after }] = await stack.db.query('SELECT COUNT(*) AS after FROM customer');
    expect(Number(after) - Number(n0)).toBe(PARALLEL);
    for (const [i, c] of conversations.entries()) {
      const [row] = await stack.db.query('SELECT normalized_value FROM contact_point WHERE customer_id = ?', [c.customer.id]);
      expect(row.normalized_value).toBe(emails[i]);
    }
    await expectAllHandedToAssignment(conversations.map((c) => c.id));
  });

  it(`${PARALLEL} parallel anonymous starts: ${PARALLEL} conversations without a customer`, async () => {
    const responses = await Promise.all(Array.from({ length: PARALLEL }, () => start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' })));
    const conversations = responses.map(conversationOf);
    expect(new Set(conversations.map((c) => c.case.id)).size).toBe(PARALLEL);
    expect(conversations.every((c) => c.customer === undefined)).toBe(true);
    await expectAllHandedToAssignment(conversations.map((c) => c.id));
  });
});
