import { randomUUID } from 'node:crypto';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { addAgents, startChat, waitForActivity } from './support/assignment';
import { clientOf, http, login, type HttpResult } from './support/client';
import { addChatApplication, agentLogin, message, receiveCallbacks, sendMessage } from './support/messaging';
import { Stack } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

const LIMIT = 3;
const WINDOW_MS = 10000;

/**
 * One client application cannot flood a conversation, nor one agent its customers: sendmessage
 * is limited per conversation and per agent, typing apart, `complete` never refused.
 */
describe('sendmessage throttling', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let client: Awaited<ReturnType<typeof clientOf>>;

  beforeAll(async () => {
    stack = await Stack.start({
      agentCapacity: 100,
      env: {
        SENDMESSAGE_THROTTLE_WINDOW_MS: String(WINDOW_MS),
        SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION: String(LIMIT),
        SENDMESSAGE_THROTTLE_LIMIT_PER_AGENT: String(LIMIT),
      },
    });
    // Agent messages are queued for delivery only to an application with a callback URL.
    receiver = await receiveCallbacks(stack);
    client = await clientOf(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const send = (conversationId: string, type: string, content?: string) => sendMessage(stack, client.token, message(conversationId, type, content));
  const text = (conversationId: string, i: number) => send(conversationId, 'text/plain', `message ${i}`);

  async function messageRows(conversationId: string): Promise<number> {
    const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM message WHERE conversation_id = ?', [conversationId]);
    return Number(n);
  }

  function expectThrottled(res: HttpResult): number {
    expect(res.status).toBe(429);
    expect(res.body.code).toBe(ERROR_CATALOGUE.TooManyRequests.code);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_MS / 1000);
    return retryAfter;
  }

  it('refuses the message beyond the limit in a conversation with 429 and Retry-After, writing nothing, and accepts it after the window; another conversation is not affected', async () => {
    const { conversationId } = await startChat(stack, client);
    const other = await startChat(stack, client);
    for (let i = 0; i < LIMIT; i++) expect((await text(conversationId, i)).status).toBe(200);
    const rows = await messageRows(conversationId);
    const retryAfter = expectThrottled(await text(conversationId, LIMIT));
    expect(await messageRows(conversationId)).toBe(rows);
    // Typing has an allowance of its own: the flood of text does not silence it.
    expect((await send(conversationId, 'startTyping')).status).toBe(200);
    expect((await text(other.conversationId, 0)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
    expect((await text(conversationId, LIMIT + 1)).status).toBe(200);
  });

  it('limits typing apart from text, and never refuses complete', async () => {
    const { conversationId } = await startChat(stack, client);
    for (let i = 0; i < LIMIT; i++) expect((await text(conversationId, i)).status).toBe(200);
    for (let i = 0; i < LIMIT; i++) expect((await send(conversationId, i % 2 ? 'endTyping' : 'startTyping')).status).toBe(200);
    expectThrottled(await text(conversationId, LIMIT));
    expectThrottled(await send(conversationId, 'startTyping'));
    expect((await send(conversationId, 'complete')).status).toBe(200);
    expect((await waitForActivity(stack, conversationId, (a) => a.state === 'completed')).state).toBe('completed');
  });

  it('does not count a replay of an Idempotency-Key again', async () => {
    const { conversationId } = await startChat(stack, client);
    const headers = { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `throttle-replay-${conversationId}` };
    const body = JSON.stringify(message(conversationId, 'text/plain', 'sent once, retried'));
    const first = await http(`${stack.contextUrl}/ws/v19/clientapplications/messaging/sendmessage`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    for (let i = 0; i < LIMIT; i++) {
      const replay = await http(`${stack.contextUrl}/ws/v19/clientapplications/messaging/sendmessage`, { method: 'POST', headers, body });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(first.body);
    }
    // One message counted so far: the rest of the allowance is there.
    for (let i = 1; i < LIMIT; i++) expect((await text(conversationId, i)).status).toBe(200);
    expectThrottled(await text(conversationId, LIMIT));
  });

  it("counts neither a refused body, nor another application's sends, nor sends into no conversation or an ended one", async () => {
    const { conversationId } = await startChat(stack, client);
    for (let i = 0; i < LIMIT; i++) expect((await send(conversationId, 'text/plain', ' ')).status).toBe(400);
    await addChatApplication(stack, 'throttle-other-chat', 'throttle-other-secret');
    const other = await login(stack, 'throttle-other-chat', 'throttle-other-secret');
    // Beyond the limit, and still 404: a conversation that is not the sender's is never counted.
    for (let i = 0; i <= LIMIT; i++) expect((await sendMessage(stack, other, message(conversationId, 'text/plain', 'not yours'))).status).toBe(404);
    const nowhere = randomUUID();
    for (let i = 0; i <= LIMIT; i++) expect((await text(nowhere, i)).status).toBe(404);
    const ended = await startChat(stack, client);
    expect((await send(ended.conversationId, 'complete')).status).toBe(200);
    for (let i = 0; i <= LIMIT; i++) expect((await text(ended.conversationId, i)).status).toBe(409);
    for (let i = 0; i < LIMIT; i++) expect((await text(conversationId, i)).status).toBe(200);
    expectThrottled(await text(conversationId, LIMIT));
  });

  /** Two chats assigned to one agent: the other agents are made unavailable while the second is assigned. */
  async function twoChatsOfOneAgent(): Promise<{ agentId: string; chats: [string, string] }> {
    const first = await startChat(stack, client);
    const agentId = String((await waitForActivity(stack, first.conversationId, (a) => a.state === 'assigned')).agent_id);
    const others: { id: string; availability: string }[] = await stack.db.query('SELECT id, availability FROM agent WHERE id <> ?', [agentId]);
    await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id <> ?", [agentId]);
    try {
      const second = await startChat(stack, client);
      expect(String((await waitForActivity(stack, second.conversationId, (a) => a.state === 'assigned')).agent_id)).toBe(agentId);
      return { agentId, chats: [first.conversationId, second.conversationId] };
    } finally {
      for (const other of others) await stack.db.query('UPDATE agent SET availability = ? WHERE id = ?', [other.availability, other.id]);
    }
  }

  it("does not count an agent's HTML refused for having no text once the tags are removed", async () => {
    // An agent of its own, so that no other test's sends touch its allowance.
    const [{ queue_id: queueId }] = await stack.db.query('SELECT queue_id FROM entry_point WHERE id = ?', [client.entryPointId]);
    const [agentId] = await addAgents(stack, String(queueId), [{ username: 'throttle-html', maxChats: 5 }]);
    const others: { id: string; availability: string }[] = await stack.db.query('SELECT id, availability FROM agent WHERE id <> ?', [agentId]);
    await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id <> ?", [agentId]);
    let conversationId: string;
    try {
      ({ conversationId } = await startChat(stack, client, { subject: 'plain text', payload: { chat: { clientInfo: { isRichTextSupported: 'false' } } } }));
      expect(String((await waitForActivity(stack, conversationId, (a) => a.state === 'assigned')).agent_id)).toBe(agentId);
    } finally {
      for (const other of others) await stack.db.query('UPDATE agent SET availability = ? WHERE id = ?', [other.availability, other.id]);
    }
    const token = await agentLogin(stack, agentId);
    const agentSend = (type: string, content: string) => sendMessage(stack, token, message(conversationId, type, content), 'agent');
    for (let i = 0; i <= LIMIT; i++) {
      const refused = await agentSend('text/html', '<p><img src="https://shop.example/smile.png"></p>');
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, ERROR_CATALOGUE.BodyInvalid.code, 'content']);
    }
    for (let i = 0; i < LIMIT; i++) expect((await agentSend('text/html', `<p>answer ${i}</p>`)).status).toBe(200);
    expectThrottled(await agentSend('text/plain', 'one too many'));
  });

  it("limits an agent's messages across its chats, writing and sending nothing beyond the limit", async () => {
    const { agentId, chats: [one, two] } = await twoChatsOfOneAgent();
    const token = await agentLogin(stack, agentId);
    const agentSend = (conversationId: string, type: string, content?: string) => sendMessage(stack, token, message(conversationId, type, content), 'agent');
    // Sends the agent is refused (no such chat) spend none of its allowance.
    for (let i = 0; i <= LIMIT; i++) expect((await agentSend(randomUUID(), 'text/plain', 'nowhere')).status).toBe(404);
    for (let i = 0; i < LIMIT - 1; i++) expect((await agentSend(one, 'text/plain', `answer ${i}`)).status).toBe(200);
    expect((await agentSend(two, 'text/plain', 'the other chat')).status).toBe(200);
    const rows = await messageRows(one);
    const before = await stack.rowCounts(['outbox']);
    // Each chat is below the limit; the agent is at it.
    expectThrottled(await agentSend(one, 'text/plain', 'one too many'));
    expect(await messageRows(one)).toBe(rows);
    expect(await stack.rowCounts(['outbox'])).toEqual(before);
    // The agent's typing is counted apart, and the customer's side of the chat is not the agent's allowance.
    expect((await agentSend(one, 'startTyping')).status).toBe(200);
    expect((await text(one, 0)).status).toBe(200);
  });
});
