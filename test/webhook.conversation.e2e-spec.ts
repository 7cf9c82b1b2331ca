import { Webhook } from 'standardwebhooks';
import { DropTypingRows1765500000000 } from '../src/migrations/1765500000000-drop-typing-rows';
import { MAX_MESSAGE_LENGTH } from '../src/modules/conversation/domain/send-message.command';
import { toXml } from '../src/platform/http/xml-codec';
import { clientOf, http, login, start, startDocument } from './support/client';
import { addChatApplication, adminLogin, agentLogin, applicationId, getConversation, message, putCallback, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import { WebhookReceiver, type ReceivedCallback } from './support/webhook-receiver';

/**
 * A conversation after its start, end to end: the real api and worker, a real HTTP
 * receiver for the callbacks, the customer side (client application) and the agent side.
 */
describe('webhook: a whole conversation', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let secret: string;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    stack = await Stack.start();
    const admin = await adminLogin(stack);
    const res = await putCallback(stack, admin, await applicationId(stack), { url: receiver.url(), format: 'json' });
    expect(res.status).toBe(200);
    secret = res.body.callback.signingSecret.value;
    expect(secret).toMatch(/^whsec_/);
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** As a receiver verifies a callback: the standardwebhooks package over the raw body. */
  function verify(callback: ReceivedCallback): void {
    const headers = {
      'webhook-id': String(callback.headers['webhook-id']),
      'webhook-timestamp': String(callback.headers['webhook-timestamp']),
      'webhook-signature': String(callback.headers['webhook-signature']),
    };
    expect(() => new Webhook(secret).verify(callback.body, headers)).not.toThrow();
  }

  async function startChat(query: string, activity?: Record<string, unknown>): Promise<{ conversationId: string; agentId: string }> {
    const res = await start(stack, startDocument(lm, activity), { token, query });
    expect(res.status).toBe(200);
    const conversationId: string = res.body.conversation.id;
    const [assigned] = await receiver.waitFor(() => {
      const found = receiver.delivered(conversationId).filter((m) => m.type.value === 'assigned');
      return found.length > 0 && found;
    });
    return { conversationId, agentId: assigned.sender.user.id };
  }

  /**
   * A chat with a plain-text client whose agent sends each of `htmls`, completed by the
   * customer: the texts the client's callbacks carried for them, in order.
   */
  async function plainTextOf(...htmls: string[]): Promise<string[]> {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes', { payload: { chat: { clientInfo: { isRichTextSupported: 'false' } } } });
    const agent = await agentLogin(stack, agentId);
    for (const html of htmls) expect((await sendMessage(stack, agent, message(conversationId, 'text/html', html), 'agent')).status).toBe(200);
    await sendMessage(stack, token, message(conversationId, 'complete'));
    const events = await receiver.deliveredUntilComplete(conversationId);
    return events.filter((m) => m.type.value === 'text/plain').map((m) => m.content);
  }

  it('delivers assigned, agent message, typing and complete in order, signed; the customer message is kept but not echoed', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes&sendTypingNotification=yes');
    const [agentBefore] = await stack.db.query('SELECT active_chats, (SELECT display_name FROM user_account WHERE id = ?) AS name FROM agent WHERE id = ?', [agentId, agentId]);
    const agent = await agentLogin(stack, agentId);

    expect((await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>Hello, <b>how</b> can I help?</p>'), 'agent')).status).toBe(200);
    const customerSent = await sendMessage(stack, token, message(conversationId, 'text/plain', 'My parcel did not arrive.'));
    expect(customerSent.status).toBe(200);
    expect((await sendMessage(stack, agent, message(conversationId, 'startTyping'), 'agent')).status).toBe(200);
    expect((await sendMessage(stack, agent, message(conversationId, 'endTyping'), 'agent')).status).toBe(200);
    const completed = await sendMessage(stack, token, message(conversationId, 'complete'));
    expect(completed.status).toBe(200);

    const events = await receiver.deliveredUntilComplete(conversationId);
    expect(events.map((m) => m.type.value)).toEqual(['assigned', 'text/html', 'startTyping', 'endTyping', 'complete']);
    expect(events[1].content).toBe('<p>Hello, <b>how</b> can I help?</p>');
    expect(events[1].sender).toEqual({ type: 'user', user: { id: agentId, name: agentBefore.name } });
    expect(events[0].sender.user.id).toBe(agentId);
    expect(events[4].sender).toEqual({ type: 'system' });
    expect(new Set(events.map((m) => m.id)).size).toBe(events.length);
    const times = events.map((m) => m.timeStamp as number);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(events.some((m) => m.id === customerSent.body.message.id)).toBe(false);
    const callbacks = receiver.callbacksOf(conversationId);
    expect(callbacks.length).toBeGreaterThan(0);
    for (const callback of callbacks) verify(callback);
    expect(callbacks.every((c) => c.headers['content-type']?.startsWith('application/json'))).toBe(true);

    // The transcript shows the customer's message too; typing is left out.
    const read = await getConversation(stack, token, conversationId);
    expect(read.status).toBe(200);
    expect(read.body.conversation.state).toBe('completed');
    expect(read.body.conversation.message.map((m: any) => `${m.sender.type}:${m.type.value}`)).toEqual([
      'user:assigned', 'user:text/html', 'customer:text/plain', 'system:complete',
    ]);
    expect(read.body.conversation.message[2].content).toBe('My parcel did not arrive.');

    // Completion gave the agent's slot back, and nothing more goes into the conversation.
    const [agentAfter] = await stack.db.query('SELECT active_chats FROM agent WHERE id = ?', [agentId]);
    expect(Number(agentAfter.active_chats)).toBe(Number(agentBefore.active_chats) - 1);
    const again = await sendMessage(stack, token, message(conversationId, 'complete'));
    expect([again.status, again.body.code]).toEqual([409, '409-102']);
    expect((await sendMessage(stack, agent, message(conversationId, 'text/plain', 'still there?'), 'agent')).status).toBe(409);
    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND type = 'complete'", [conversationId]);
    expect(Number(n)).toBe(1);
  });

  it("writes no transcript row for typing, the customer's or the agent's, while the agent's still reaches the callback", async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes&sendTypingNotification=yes');
    const agent = await agentLogin(stack, agentId);
    for (let i = 0; i < 3; i++) {
      expect((await sendMessage(stack, token, message(conversationId, i % 2 === 0 ? 'startTyping' : 'endTyping'))).status).toBe(200);
      expect((await sendMessage(stack, agent, message(conversationId, i % 2 === 0 ? 'startTyping' : 'endTyping'), 'agent')).status).toBe(200);
    }
    await sendMessage(stack, token, message(conversationId, 'complete'));
    const events = await receiver.deliveredUntilComplete(conversationId);
    expect(events.map((m) => m.type.value)).toEqual(['assigned', 'startTyping', 'endTyping', 'startTyping', 'complete']);
    const rows = await stack.db.query('SELECT type FROM message WHERE conversation_id = ? ORDER BY seq', [conversationId]);
    expect(rows.map((r: { type: string }) => r.type)).toEqual(['assigned', 'complete']);
  });

  it('deletes, by migration, the typing rows earlier releases wrote, and no other message', async () => {
    const open = await startChat('anonymousCustomer=yes');
    const closed = await startChat('anonymousCustomer=yes');
    const agent = await agentLogin(stack, open.agentId);
    expect((await sendMessage(stack, agent, message(open.conversationId, 'text/plain', 'kept'), 'agent')).status).toBe(200);
    await sendMessage(stack, token, message(closed.conversationId, 'complete'));
    await receiver.deliveredUntilComplete(closed.conversationId);
    // As earlier releases wrote typing: the customer's and the agent's, in an open and a closed conversation (the agent's text is stored as HTML for a rich-text client).
    for (const { conversationId, agentId } of [open, closed]) {
      await stack.db.query("INSERT INTO message (id, conversation_id, sender_type, type, created_at) VALUES (UUID(), ?, 'customer', 'startTyping', NOW(3) - INTERVAL 40 DAY)", [conversationId]);
      await stack.db.query("INSERT INTO message (id, conversation_id, sender_type, agent_id, type, created_at) VALUES (UUID(), ?, 'user', ?, 'endTyping', NOW(3))", [conversationId, agentId]);
    }
    const types = async (conversationId: string) =>
      (await stack.db.query('SELECT type FROM message WHERE conversation_id = ? ORDER BY seq', [conversationId])).map((r: { type: string }) => r.type);
    expect(await types(open.conversationId)).toEqual(['assigned', 'text/html', 'startTyping', 'endTyping']);
    const runner = stack.db.createQueryRunner();
    try {
      await new DropTypingRows1765500000000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await types(open.conversationId)).toEqual(['assigned', 'text/html']);
    expect(await types(closed.conversationId)).toEqual(['assigned', 'complete']);
    const [left] = await stack.db.query("SELECT COUNT(*) AS n FROM message WHERE type IN ('startTyping', 'endTyping')");
    expect(Number(left.n)).toBe(0);
  });

  it('leaves typing out when the start asked for no typing notifications, and strips HTML for plain-text clients', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes&sendTypingNotification=no', {
      payload: { chat: { clientInfo: { isRichTextSupported: 'false' } } },
    });
    const agent = await agentLogin(stack, agentId);
    const typing = await sendMessage(stack, agent, message(conversationId, 'startTyping'), 'agent');
    expect([typing.status, typing.body.message.notified]).toEqual([200, false]);
    await sendMessage(stack, agent, message(conversationId, 'endTyping'), 'agent');
    await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>Fish &amp; chips</p><p>are <i>ready</i></p>'), 'agent');
    await sendMessage(stack, token, message(conversationId, 'complete'));
    const events = await receiver.deliveredUntilComplete(conversationId);
    expect(events.map((m) => m.type.value)).toEqual(['assigned', 'text/plain', 'complete']);
    expect(events[1].content).toBe('Fish & chips\nare ready');
  });

  it('gives a plain-text client the text a browser shows of the agent\'s HTML: a < that starts no tag is kept, a quoted > stays in its tag', async () => {
    expect(await plainTextOf('<p>Orders < 10 € ship in 2 days, orders > 50 € free <3</p>', '<a href="https://example.com/?q=a>b">Track it</a>'))
      .toEqual(['Orders < 10 € ship in 2 days, orders > 50 € free <3', 'Track it']);
  });

  it('gives a plain-text client the characters of the named references a rich-text editor writes', async () => {
    expect(await plainTextOf('<p>Tr&egrave;s bien, I&rsquo;ll check&hellip; &mdash; 5&nbsp;&euro;, &frac12; off</p>')).toEqual(['Très bien, I’ll check… — 5 €, ½ off']);
  });

  it('gives a plain-text client the lines a browser shows of the agent\'s HTML: a block starts one, table cells stay apart', async () => {
    // What a browser's editable area writes for three lines typed with Enter.
    expect(await plainTextOf('Hello Ada,<div>your parcel left today.</div><div>Regards</div>', '<table><tr><td>Order</td><td>1234</td></tr></table>'))
      .toEqual(['Hello Ada,\nyour parcel left today.\nRegards', 'Order 1234']);
  });

  it("gives a plain-text client an agent's HTML of tags never closed, at the length limit, as written", async () => {
    // 10,000 characters, astral ones among them: each '<' was read up to the end of the message
    // (80 ms of the api's thread for each such sendmessage), and a '<p ' or '<br ' each time again.
    const htmls = ['<a', '<p \u{1F600}', '<br '].map((unit) => unit.repeat(Math.floor(MAX_MESSAGE_LENGTH / [...unit].length)));
    expect(await plainTextOf(...htmls)).toEqual(htmls.map((html) => html.trim()));
  });

  it('reads each message as its callback carried it, and assignedDate and completedDate as the timeStamp of the assigned and complete events', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes');
    const agent = await agentLogin(stack, agentId);
    expect((await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>On its way</p>'), 'agent')).status).toBe(200);
    expect((await sendMessage(stack, token, message(conversationId, 'text/plain', 'Thanks'))).status).toBe(200);
    expect((await sendMessage(stack, token, message(conversationId, 'complete'))).status).toBe(200);
    const events = await receiver.deliveredUntilComplete(conversationId);
    // The activity's columns are written with the database's clock, the events with the api's and
    // the worker's: a database whose clock is 5 s behind theirs.
    await stack.db.query(
      'UPDATE activity SET assigned_at = assigned_at - INTERVAL 5 SECOND, completed_at = completed_at - INTERVAL 5 SECOND WHERE conversation_id = ?',
      [conversationId],
    );

    for (const accept of ['application/json', 'application/xml']) {
      const read = await getConversation(stack, token, conversationId, accept);
      expect(read.status).toBe(200);
      const c = accept === 'application/json' ? read.body.conversation : read.body;
      const messages: any[] = c.message;
      // Every callback event is in the transcript with the same id, type, content, sender and time.
      for (const event of events) {
        const { conversation, ...rest } = event;
        expect(conversation.id).toBe(conversationId);
        expect(messages.find((m) => m.id === event.id)).toEqual(accept === 'application/json' ? rest : JSON.parse(JSON.stringify(rest, (_k, v) => (typeof v === 'number' ? String(v) : v))));
      }
      const [assigned, complete] = ['assigned', 'complete'].map((type) => events.find((m) => m.type.value === type));
      expect(Date.parse(c.assignedDate.date)).toBe(assigned.timeStamp);
      expect(Date.parse(c.completedDate.date)).toBe(complete.timeStamp);
    }
  });

  it('keeps conversations to their own application (404) and agents to their own chats (403)', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes');
    await addChatApplication(stack, 'other-chat', 'other-secret');
    const other = await login(stack, 'other-chat', 'other-secret');
    const read = await getConversation(stack, other, conversationId);
    expect([read.status, read.body.code]).toEqual([404, '404-102']);
    const write = await sendMessage(stack, other, message(conversationId, 'text/plain', 'hello?'));
    expect([write.status, write.body.code]).toEqual([404, '404-102']);
    const end = await sendMessage(stack, other, message(conversationId, 'complete'));
    expect(end.status).toBe(404);

    const [otherAgent] = await stack.db.query('SELECT a.id FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 1 AND a.id <> ?', [agentId]);
    const intruder = await agentLogin(stack, String(otherAgent.id));
    const res = await sendMessage(stack, intruder, message(conversationId, 'text/plain', 'hi'), 'agent');
    expect([res.status, res.body.code]).toEqual([403, '403-104']);
    const client = await sendMessage(stack, token, message(conversationId, 'text/plain', 'hi'), 'agent');
    expect(client.status).toBe(401);

    // The owner writes in XML and reads it back in XML.
    const sent = await http(`${stack.clientApiUrl}/messaging/sendmessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/xml', Accept: 'application/xml' },
      body: toXml('message', message(conversationId, 'text/plain', 'Written in XML')),
    });
    expect([sent.status, sent.xmlRoot, sent.body.type.value]).toEqual([200, 'message', 'text/plain']);
    const xml = await getConversation(stack, token, conversationId, 'application/xml');
    expect([xml.status, xml.xmlRoot, xml.body.id]).toEqual([200, 'conversation', conversationId]);
    expect(xml.body.message.map((m: any) => [m.type.value, m.content ?? ''])).toEqual([['assigned', ''], ['text/plain', 'Written in XML']]);
    expect(xml.body.message[1].id).toBe(sent.body.id);
  });

  it('refuses a message holding a control character (other than tab and line breaks) from either side, and records nothing', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes');
    const agent = await agentLogin(stack, agentId);
    const customer = await sendMessage(stack, token, message(conversationId, 'text/plain', 'ring \u0007 the bell'));
    expect([customer.status, customer.body.code, customer.body.details]).toEqual([400, '400-112', 'content']);
    const fromAgent = await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>clear \u001b[2J</p>'), 'agent');
    expect([fromAgent.status, fromAgent.body.code, fromAgent.body.details]).toEqual([400, '400-112', 'content']);
    const lines = await sendMessage(stack, token, message(conversationId, 'text/plain', 'two\r\nlines\tand a tab'));
    expect(lines.status).toBe(200);
    const read = await getConversation(stack, token, conversationId);
    expect(read.body.conversation.message.filter((m: any) => m.type.value.startsWith('text/')).map((m: any) => m.content)).toEqual(['two\r\nlines\tand a tab']);
  });

  it('refuses U+FFFE and U+FFFF in a message from either side, as XML cannot carry them, and records nothing', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes');
    const agent = await agentLogin(stack, agentId);
    const customer = await sendMessage(stack, token, message(conversationId, 'text/plain', 'odd \uFFFE one'));
    expect([customer.status, customer.body.code, customer.body.details]).toEqual([400, '400-112', 'content']);
    const fromAgent = await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>odd \uFFFF one</p>'), 'agent');
    expect([fromAgent.status, fromAgent.body.code, fromAgent.body.details]).toEqual([400, '400-112', 'content']);
    const read = await getConversation(stack, token, conversationId);
    expect(read.body.conversation.message.map((m: any) => m.type.value)).toEqual(['assigned']);
  });

  it('gives a plain-text client no character it may not carry from a character reference in the agent\'s HTML', async () => {
    const { conversationId, agentId } = await startChat('anonymousCustomer=yes', { payload: { chat: { clientInfo: { isRichTextSupported: 'false' } } } });
    const agent = await agentLogin(stack, agentId);
    const sent = await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>a&#1;b&#x1b;[2Jc&#xFFFE;d&#xD800;e&#x85;f&#9;g&#10;h</p>'), 'agent');
    expect(sent.status).toBe(200);
    const only = await sendMessage(stack, agent, message(conversationId, 'text/html', '<p>&#7;&#xFFFF;</p>'), 'agent');
    expect([only.status, only.body.code, only.body.details]).toEqual([400, '400-112', 'content']);
    await sendMessage(stack, token, message(conversationId, 'complete'));
    const events = await receiver.deliveredUntilComplete(conversationId);
    expect(events.map((m) => m.type.value)).toEqual(['assigned', 'text/plain', 'complete']);
    // A surrogate is no character: U+FFFD, as a browser shows it; &#x85; is windows-1252's ellipsis.
    expect(events[1].content).toBe('ab[2Jcd\uFFFDe…f g\nh');
    const xml = await getConversation(stack, token, conversationId, 'application/xml');
    expect(xml.body.message[1].content).toBe('ab[2Jcd\uFFFDe…f g\nh');
  });
});
