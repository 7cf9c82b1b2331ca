import { longTranscript } from './support/api-pressure';
import { clientOf, http, login, start, startDocument, type HttpResult } from './support/client';
import { addChatApplication, agentLogin, getConversation, message, sendMessage } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import { LAST_EVENT } from '../src/modules/conversation/infrastructure/last-event';

/**
 * A transcript is read page by page: `limit` messages at most (200 when not given), `after` a
 * message of it, and a `next` link while more follow, on the client application's reading and
 * on the agent's.
 */
describe('conversation reading: the transcript in pages', () => {
  let stack: Stack;
  let token: string;
  let conversationId: string;
  let agentToken: string;
  /** Every message id of the transcript, in order, as the first page of one reading gives them. */
  let all: string[];
  const TEXTS = 210;
  const TYPING_ROW = '5f0c2b9e-7d41-4c3a-9e8b-2a6d1f4c8e70';

  const origin = () => new URL(stack.contextUrl).origin;
  const get = (path: string, bearer = token) => http(`${origin()}${path}`, { headers: { Authorization: `Bearer ${bearer}` } });
  const read = (query: string, bearer = token) => get(`${new URL(stack.clientApiUrl).pathname}/messaging/conversation/${conversationId}${query}`, bearer);
  const readAsAgent = (query: string) => get(`${new URL(stack.contextUrl).pathname}/ws/v19/agent/chats/${conversationId}${query}`, agentToken);
  const idsOf = (res: HttpResult): string[] => res.body.conversation.message.map((m: { id: string }) => m.id);
  const nextOf = (res: HttpResult): string | undefined => res.body.conversation.link.find((l: { rel: string }) => l.rel === 'next')?.href;

  /** Follows `next` from the first page of `first` to the last: the pages' ids. */
  async function follow(first: HttpResult, bearer: string): Promise<string[][]> {
    const pages = [idsOf(first)];
    for (let next = nextOf(first); next !== undefined; ) {
      const res = await get(next, bearer);
      expect(res.status).toBe(200);
      pages.push(idsOf(res));
      next = nextOf(res);
    }
    return pages;
  }

  beforeAll(async () => {
    // A transcript longer than a page is written in seconds, beyond the sendmessage throttle's default allowance.
    stack = await Stack.start({ env: { SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION: '0' }, agentCapacity: 30 });
    const client = await clientOf(stack);
    token = client.token;
    const res = await start(stack, startDocument(client.lm), { token, query: 'anonymousCustomer=yes' });
    expect(res.status).toBe(200);
    conversationId = res.body.conversation.id;
    const agentId = await waitFor(async () => (await stack.db.query("SELECT agent_id FROM activity WHERE conversation_id = ? AND state = 'assigned'", [conversationId]))[0]?.agent_id);
    agentToken = await agentLogin(stack, String(agentId));
    for (let i = 1; i <= TEXTS; i++) expect((await sendMessage(stack, token, message(conversationId, 'text/plain', `m${i}`))).status).toBe(200);
    expect((await sendMessage(stack, agentToken, message(conversationId, 'startTyping'), 'agent')).status).toBe(200);
    // A typing row as earlier releases wrote them, in the middle of the transcript.
    await stack.db.query("INSERT INTO message (id, conversation_id, sender_type, agent_id, type, created_at) VALUES (?, ?, 'user', ?, 'startTyping', NOW(3))", [TYPING_ROW, conversationId, agentId]);
    expect((await sendMessage(stack, agentToken, message(conversationId, 'text/plain', 'last'), 'agent')).status).toBe(200);
    const whole = await read('?limit=1000');
    expect(whole.status).toBe(200);
    all = idsOf(whole);
    expect(nextOf(whole)).toBeUndefined();
    // assigned, the customer's texts and the agent's; typing is never part of a transcript.
    expect(whole.body.conversation.message.map((m: { type: { value: string }; content?: string }) => m.content ?? m.type.value))
      .toEqual(['assigned', ...Array.from({ length: TEXTS }, (_, i) => `m${i + 1}`), 'last']);
  }, 120000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the first 200 messages when no limit is given, and a next link that reads the rest', async () => {
    const first = await read('');
    expect(idsOf(first)).toEqual(all.slice(0, 200));
    expect(nextOf(first)).toBe(`${new URL(stack.clientApiUrl).pathname}/messaging/conversation/${conversationId}?after=${all[199]}`);
    expect(await follow(first, token)).toEqual([all.slice(0, 200), all.slice(200)]);
  });

  it('pages by the limit asked for, keeping it in each next link, and leaves next out of the last page', async () => {
    const first = await read('?limit=50');
    const pages = await follow(first, token);
    expect(pages.map((p) => p.length)).toEqual([50, 50, 50, 50, 12]);
    expect(pages.flat()).toEqual(all);
    expect(nextOf(first)).toContain(`?after=${all[49]}&limit=50`);
    // A page that ends on the last message says nothing follows.
    const exact = await read(`?after=${all[all.length - 3]}&limit=2`);
    expect([idsOf(exact), nextOf(exact)]).toEqual([all.slice(-2), undefined]);
    const afterLast = await read(`?after=${all[all.length - 1]}`);
    expect([afterLast.status, idsOf(afterLast), nextOf(afterLast)]).toEqual([200, [], undefined]);
  });

  it('ends a page early, with next, before the message that would take its text past 1 MiB, and gives every message once in order', async () => {
    // 120 messages of 20,000 bytes (10,000 "é"), 2.4 MB, asked for 1000 at a time.
    const long = await longTranscript(stack, 120);
    const budget = 1024 * 1024;
    const longId = new URL(long.path, origin()).pathname.split('/').at(-1)!;
    // Its assigned event comes once an agent has it: the transcript is whole from then on.
    await waitFor(async () => (await stack.db.query("SELECT id FROM message WHERE conversation_id = ? AND type = 'assigned'", [longId]))[0]?.id);
    const stored: { id: string }[] = await stack.db.query(
      "SELECT id FROM message WHERE conversation_id = ? AND type NOT IN ('startTyping', 'endTyping') ORDER BY seq",
      [longId],
    );
    const pages: { id: string; content?: string }[][] = [];
    for (let next: string | undefined = long.path; next !== undefined; ) {
      const res = await get(next, long.token);
      expect(res.status).toBe(200);
      pages.push(res.body.conversation.message);
      next = nextOf(res);
      if (next !== undefined) expect(next).toContain('&limit=1000');
    }
    const bytes = (page: { content?: string }[]) => page.reduce((n, m) => n + Buffer.byteLength(m.content ?? ''), 0);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const [i, page] of pages.entries()) {
      expect(page.length).toBeGreaterThan(0);
      expect(bytes(page)).toBeLessThanOrEqual(budget);
      // Each page but the last is full: the next page's first message would take it past the budget.
      if (i < pages.length - 1) expect(bytes(page) + bytes(pages[i + 1].slice(0, 1))).toBeGreaterThan(budget);
    }
    expect(pages.flat().map((m) => m.id)).toEqual(stored.map((r) => r.id));
  });

  it('gives assignedDate from the assigned event whichever page is read', async () => {
    const [first, later] = [await read('?limit=1'), await read(`?after=${all[100]}&limit=5`)];
    const assigned = first.body.conversation.message[0];
    expect(assigned.type.value).toBe('assigned');
    expect(Date.parse(later.body.conversation.assignedDate.date)).toBe(assigned.timeStamp);
    expect(later.body.conversation.agent).toEqual(first.body.conversation.agent);
  });

  it('finds the assigned and complete events in one index probe, not by walking back over the messages after them', async () => {
    // ANALYZE runs the statement and counts the rows it actually read (r_rows).
    for (const type of ['assigned', 'complete'] as const) {
      const rows: { table: string; key: string; r_rows: string }[] = await stack.db.query(`ANALYZE SELECT ${LAST_EVENT(type)} AS at FROM conversation c WHERE c.id = ?`, [conversationId]);
      const probe = rows.find((r) => r.table === 'm');
      expect([type, probe?.key, Number(probe?.r_rows) <= 1]).toEqual([type, 'ix_message_event', true]);
    }
  });

  it('pages the agent\'s reading the same way, its next link on the agent route', async () => {
    const first = await readAsAgent('?limit=100');
    expect(nextOf(first)).toBe(`${new URL(stack.contextUrl).pathname}/ws/v19/agent/chats/${conversationId}?after=${all[99]}&limit=100`);
    expect((await follow(first, agentToken)).flat()).toEqual(all);
  });

  it('refuses an after that is no message of this transcript, a limit out of range and a repeated parameter with 400, on both readings', async () => {
    const other = await start(stack, startDocument((await clientOf(stack)).lm), { token, query: 'anonymousCustomer=yes' });
    const otherAssigned = await waitFor(async () => (await stack.db.query("SELECT id FROM message WHERE conversation_id = ? AND type = 'assigned'", [other.body.conversation.id]))[0]?.id);
    const cases: [string, number, string, string][] = [
      ['?after=0c6f3c1e-5d0a-4a53-9a1e-3f1d2b7c9e01', 400, '400-105', 'after'],
      [`?after=${otherAssigned}`, 400, '400-105', 'after'],
      ['?after=m1', 400, '400-105', 'after'],
      ['?limit=0', 400, '400-105', 'limit'],
      ['?limit=1001', 400, '400-105', 'limit'],
      ['?limit=10.5', 400, '400-105', 'limit'],
      ['?limit=', 400, '400-105', 'limit'],
      [`?after=${all[3]}&after=${all[4]}`, 400, '400-104', 'after'],
      ['?limit=5&limit=5', 400, '400-104', 'limit'],
      [`?after=${TYPING_ROW}`, 400, '400-105', 'after'],
    ];
    for (const [query, status, code, details] of cases) {
      for (const res of [await read(query), await readAsAgent(query)]) {
        expect([query, res.status, res.body.code, res.body.details]).toEqual([query, status, code, details]);
      }
    }
    // The id in upper case is the same message; an unknown parameter is ignored.
    expect(idsOf(await read(`?after=${all[0].toUpperCase()}&limit=1&_=123`))).toEqual([all[1]]);
  });

  it('gives one createdDate in the start\'s answer, the reading and the agent\'s list of chats', async () => {
    const lm = (await clientOf(stack)).lm;
    const started: { id: string; createdDate: { date: string } }[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes' });
      expect(res.status).toBe(200);
      started.push(res.body.conversation);
    }
    const read = async (id: string) => (await getConversation(stack, token, id)).body.conversation.createdDate.date;
    expect(await Promise.all(started.map((c) => read(c.id)))).toEqual(started.map((c) => c.createdDate.date));
    const listed = await get(`${new URL(stack.contextUrl).pathname}/ws/v19/agent/chats`, agentToken);
    const mine = listed.body.chats.chat.find((c: { conversation: { id: string } }) => c.conversation.id === conversationId);
    expect(mine.createdDate.date).toBe(await read(conversationId));
  });

  it('still answers 404 for another application\'s conversation, whatever the page asked for', async () => {
    await addChatApplication(stack, 'transcript-other', 'transcript-other-secret');
    const otherToken = await login(stack, 'transcript-other', 'transcript-other-secret');
    const res = await read(`?after=${all[0]}&limit=5`, otherToken);
    expect([res.status, res.body.code]).toEqual([404, '404-102']);
    expect((await getConversation(stack, token, conversationId)).status).toBe(200);
  });
});
