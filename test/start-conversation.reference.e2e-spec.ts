import { clientOf, customerWithEmail, ENCODINGS, http, start, startDocument, uniqueEmail, type BodyEncoding } from './support/client';
import { Stack, waitFor } from './support/stack';

/**
 * The six reference requests of the contract, each in JSON, XML and multipart (a JSON part
 * and an XML part), against the real api, worker, MySQL and Redis: the rows they leave and
 * the agent assignment.
 */
describe('start conversation: the six reference requests', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function activityOf(conversationId: string) {
    const rows = await stack.db.query('SELECT * FROM activity WHERE conversation_id = ?', [conversationId]);
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  async function expectAssigned(conversationId: string) {
    const row = await waitFor(async () => {
      const [a] = await stack.db.query('SELECT state, agent_id FROM activity WHERE conversation_id = ?', [conversationId]);
      return a.state === 'assigned' ? a : undefined;
    });
    const [agent] = await stack.db.query('SELECT a.id FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE a.id = ? AND q.queue_id = 1', [row.agent_id]);
    expect(agent).toBeDefined();
  }

  function body(res: { body: any }) {
    return res.body.conversation ?? res.body;
  }

  it('names the started conversation in Location, on an Idempotency-Key replay as well', async () => {
    const headers = { 'Idempotency-Key': `location-${Date.now()}` };
    const first = await start(stack, startDocument(lm), { token, headers, query: 'anonymousCustomer=yes' });
    const replay = await start(stack, startDocument(lm), { token, headers, query: 'anonymousCustomer=yes' });
    expect([first.status, replay.status, replay.headers.get('idempotent-replayed')]).toEqual([200, 200, 'true']);
    expect(first.headers.get('location')).toBe(`/system/ws/v19/clientapplications/messaging/conversation/${first.body.conversation.id}`);
    expect(replay.headers.get('location')).toBe(first.headers.get('location'));
    const read = await http(`${stack.baseUrl}${first.headers.get('location')}`, { headers: { Authorization: `Bearer ${token}` } });
    expect([read.status, read.body.conversation.id]).toEqual([200, first.body.conversation.id]);
  });

  describe.each(ENCODINGS)('in %s', (encoding: BodyEncoding) => {
    const accept = encoding === 'xml' ? 'application/xml' : 'application/json';

    it('1. identified customer, required elements only', async () => {
      const email = uniqueEmail('ref1');
      const res = await start(stack, startDocument(lm, { customer: customerWithEmail(email) }), {
        token, encoding, query: 'searchContactOnAttribute=email.emailAddress', headers: { Accept: accept },
      });
      expect(res.status).toBe(200);
      const c = body(res);
      expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(c.customer.id).toMatch(/^\d+$/);
      const activity = await activityOf(c.id);
      expect(String(activity.customer_id)).toBe(c.customer.id);
      expect(String(activity.id)).toBe(c.activity.id);
      const points = await stack.db.query('SELECT attribute, value, lookup_scope FROM contact_point WHERE customer_id = ?', [c.customer.id]);
      expect(points).toEqual([{ attribute: 'email.emailAddress', value: email, lookup_scope: '0' }]);
      const [kase] = await stack.db.query('SELECT customer_id FROM customer_case WHERE id = ?', [c.case.id]);
      expect(String(kase.customer_id)).toBe(c.customer.id);
      await expectAssigned(c.id);
    });

    it('2. identified customer, every element', async () => {
      const email = uniqueEmail('ref2');
      const customer = customerWithEmail(email, {
        phone: [{ type: { value: 'mobile' }, phoneNo: '+44 20 7946 0000' }],
        social: [{ type: { value: 'instagram' }, socialId: 'ada_l' }],
        externalId: `crm-${email}`,
        customAttributes: { customAttribute: [{ attribName: 'tier', attribValues: { attribValue: [{ value: 'gold' }] } }] },
      });
      // A first start creates the customer and a case; the full request then attaches to that case.
      const first = await start(stack, startDocument(lm, { customer }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
      expect(first.status).toBe(200);
      const existing = first.body.conversation;

      const doc = startDocument(lm, {
        subject: 'Order 1234 did not arrive',
        payload: { chat: { clientInfo: { timeOffset: '-300', referrerName: 'Shop', referrerURL: 'https://shop.example/help', isRichTextSupported: 'false' } } },
        case: { id: existing.case.id },
        customAttributes: { customAttribute: [
          { attribName: 'order_channel', attribValues: { attribValue: [{ value: 'web' }] } },
          { attribName: 'order_note', attribValues: { attribValue: [{ value: "Leave at the door, please (code #12)" }] } },
        ] },
        customer,
      });
      const res = await start(stack, doc, {
        token, encoding, headers: { Accept: accept },
        query: 'searchContactOnAttribute=email.emailAddress&conversationContact=mobile.phone&sendTypingNotification=yes',
      });
      expect(res.status).toBe(200);
      const c = body(res);
      expect(c.customer.id).toBe(existing.customer.id);
      expect(c.case.id).toBe(existing.case.id);
      const activity = await activityOf(c.id);
      expect(activity.subject).toBe('Order 1234 did not arrive');
      expect(activity.rich_text).toBe(0);
      expect(activity.typing_notifications).toBe(1);
      expect(activity.contact_attribute).toBe('mobile.phone');
      expect(activity.contact_value).toBe('+44 20 7946 0000');
      expect(activity.client_info).toEqual({ timeOffset: '-300', referrerName: 'Shop', referrerURL: 'https://shop.example/help' });
      expect(activity.custom_attributes).toEqual([
        { name: 'order_channel', values: ['web'] },
        { name: 'order_note', values: ['Leave at the door, please (code #12)'] },
      ]);
      const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM customer c JOIN contact_point p ON p.customer_id = c.id WHERE p.normalized_value = ?', [email]);
      expect(Number(n)).toBe(1);
      const points = await stack.db.query('SELECT attribute, normalized_value FROM contact_point WHERE customer_id = ? ORDER BY id', [c.customer.id]);
      expect(points.map((p: { attribute: string }) => p.attribute)).toEqual(['email.emailAddress', 'mobile.phone', 'social.instagramId', 'externalId', 'custom.tier']);
      expect(points[1].normalized_value).toBe('+442079460000');
      await expectAssigned(c.id);
    });

    it('3. identified customer, defaults', async () => {
      const res = await start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('ref3')) }), {
        token, encoding, headers: { Accept: accept }, query: 'searchContactOnAttribute=email.emailAddress',
      });
      expect(res.status).toBe(200);
      const activity = await activityOf(body(res).id);
      expect(activity.rich_text).toBe(1);
      expect(activity.typing_notifications).toBe(0);
      expect(activity.contact_attribute).toBeNull();
      await expectAssigned(body(res).id);
    });

    it('4. anonymous, required elements only', async () => {
      const res = await start(stack, startDocument(lm), { token, encoding, headers: { Accept: accept }, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      const c = body(res);
      expect(c.customer).toBeUndefined();
      expect(res.headers.get('location')).toBe(`/system/ws/v19/clientapplications/messaging/conversation/${c.id}`);
      expect([c.link].flat().find((l: { rel: string }) => l.rel === 'self').href).toBe(res.headers.get('location'));
      const activity = await activityOf(c.id);
      expect(activity.customer_id).toBeNull();
      const [kase] = await stack.db.query('SELECT customer_id FROM customer_case WHERE id = ?', [c.case.id]);
      expect(kase.customer_id).toBeNull();
      await expectAssigned(c.id);
    });

    it('5. anonymous, every element allowed for anonymous', async () => {
      const doc = startDocument(lm, {
        subject: 'Question about delivery times',
        payload: { chat: { clientInfo: { timeOffset: '60', referrerName: 'Help center', referrerURL: 'https://help.example/', isRichTextSupported: 'true' } } },
        customAttributes: { customAttribute: [{ attribName: 'order_channel', attribValues: { attribValue: [{ value: 'app' }] } }] },
      });
      const res = await start(stack, doc, { token, encoding, headers: { Accept: accept }, query: 'anonymousCustomer=yes&sendTypingNotification=yes' });
      expect(res.status).toBe(200);
      const activity = await activityOf(body(res).id);
      expect(activity.subject).toBe('Question about delivery times');
      expect(activity.typing_notifications).toBe(1);
      expect(activity.rich_text).toBe(1);
      expect(activity.custom_attributes).toEqual([{ name: 'order_channel', values: ['app'] }]);
      await expectAssigned(body(res).id);
    });

    it('6. anonymous, defaults', async () => {
      const res = await start(stack, startDocument(lm, { subject: 'Hello' }), { token, encoding, headers: { Accept: accept }, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      if (encoding === 'xml') expect(res.xmlRoot).toBe('conversation');
      const activity = await activityOf(body(res).id);
      expect(activity.rich_text).toBe(1);
      expect(activity.typing_notifications).toBe(0);
      await expectAssigned(body(res).id);
    });
  });
});
