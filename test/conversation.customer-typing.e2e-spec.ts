import Redis from 'ioredis';
import { agentCall, agentLogin, startAnonymous, waitForActivity, type AgentSession } from './support/assignment';
import { clientOf, http, type HttpResult } from './support/client';
import { message, sendMessage } from './support/messaging';
import { PrivateRedis } from './support/private-services';
import { Stack, waitFor } from './support/stack';

const TTL_MS = 2000;

/**
 * The customer's typing reaches the agent's reading of the chat: its client application's
 * startTyping shows as `customerTyping` on the assigned agent's reading and list until endTyping,
 * a message, the conversation's end or CUSTOMER_TYPING_TTL_MS, and is never written to MySQL. The
 * typing state lives in a private Redis, killed at the end: sends and readings still answer.
 */
describe("the customer's typing on the agent's reading", () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let keys: Redis;
  let sales: Awaited<ReturnType<typeof clientOf>>;
  let agents: AgentSession[];

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    stack = await Stack.start({ env: { REDIS_PORT: String(redis.port), CUSTOMER_TYPING_TTL_MS: String(TTL_MS), REQUEST_TIMEOUT_MS: '5000' } });
    keys = new Redis({ port: redis.port, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
    await keys.connect();
    sales = await clientOf(stack, '1001');
    agents = await Promise.all(['alice', 'bob'].map((u) => agentLogin(stack, u)));
  });

  afterAll(async () => {
    keys?.disconnect();
    await redis?.start();
    await stack?.stop();
    await redis?.destroy();
  });

  /** A new chat of queue 1, its assigned agent and an agent it is not assigned to. */
  async function chat(): Promise<{ id: string; owner: AgentSession; other: AgentSession }> {
    const res = await startAnonymous(stack, sales);
    expect(res.status).toBe(200);
    const id = res.body.conversation.id as string;
    const activity = await waitForActivity(stack, id, (a) => a.state === 'assigned');
    const owner = agents.find((a) => a.userId === String(activity.agent_id));
    const other = agents.find((a) => a.userId !== String(activity.agent_id));
    if (!owner || !other) throw new Error(`chat ${id} assigned to agent ${activity.agent_id}, not alice or bob`);
    return { id, owner, other };
  }

  const send = (id: string, type: string, content?: string) => sendMessage(stack, sales.token, message(id, type, content));
  const read = (agent: AgentSession, id: string, accept = 'application/json'): Promise<HttpResult> =>
    http(`${stack.contextUrl}/ws/v19/agent/chats/${id}`, { headers: { Authorization: `Bearer ${agent.token}`, Accept: accept } });
  async function typingOnReading(agent: AgentSession, id: string): Promise<unknown> {
    const res = await read(agent, id);
    expect(res.status).toBe(200);
    return res.body.conversation.customerTyping;
  }
  async function typingOnList(agent: AgentSession, id: string): Promise<unknown> {
    const res = await agentCall(stack, agent.token, 'GET', '/chats');
    expect(res.status).toBe(200);
    const listed = (res.body.chats.chat as { conversation: { id: string }; customerTyping?: unknown }[]).find((c) => c.conversation.id === id);
    expect(listed).toBeDefined();
    return listed!.customerTyping;
  }
  /**
   * With the typing's store out of reach: startTyping and endTyping are still answered, the
   * message as sent, and the assigned agent's reading and list show no typing.
   */
  async function answersWithoutTyping(id: string, owner: AgentSession): Promise<void> {
    const typed = await send(id, 'startTyping');
    expect([typed.status, typed.body.message?.type?.value]).toEqual([200, 'startTyping']);
    expect((await send(id, 'endTyping')).status).toBe(200);
    expect(await typingOnReading(owner, id)).toBeUndefined();
    expect(await typingOnList(owner, id)).toBeUndefined();
  }
  const typingKey = (id: string) => `${stack.env.REDIS_PREFIX}:customer-typing:${id}`;

  it("shows startTyping to the assigned agent only, in JSON and XML, on the reading and the list, since the first start, and writes no row", async () => {
    const { id, owner, other } = await chat();
    expect(await typingOnReading(owner, id)).toBeUndefined();
    const first = await send(id, 'startTyping');
    expect(first.status).toBe(200);
    const since = new Date(first.body.message.timeStamp).toISOString();
    expect(await typingOnReading(owner, id)).toEqual({ since: { date: since } });
    expect(await typingOnList(owner, id)).toEqual({ since: { date: since } });
    const xml = await read(owner, id, 'application/xml');
    expect([xml.status, xml.xmlRoot]).toEqual([200, 'conversation']);
    expect(xml.text).toContain(`<customerTyping><since><date>${since}</date></since></customerTyping>`);

    // Another start while typing keeps the first one's time.
    expect((await send(id, 'startTyping')).status).toBe(200);
    expect(await typingOnReading(owner, id)).toEqual({ since: { date: since } });

    const others = await read(other, id);
    expect([others.status, others.body.code]).toEqual([403, '403-104']);
    expect(others.text).not.toContain('customerTyping');
    const customerSide = await http(`${stack.clientApiUrl}/messaging/conversation/${id}`, { headers: { Authorization: `Bearer ${sales.token}` } });
    expect([customerSide.status, 'customerTyping' in customerSide.body.conversation]).toEqual([200, false]);

    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM message WHERE conversation_id = ? AND type IN ('startTyping', 'endTyping')", [id]);
    expect(Number(n)).toBe(0);
  });

  it('clears it at endTyping, at the next message, at the customer\'s complete and at the agent\'s', async () => {
    const { id, owner } = await chat();
    await send(id, 'startTyping');
    expect((await send(id, 'endTyping')).status).toBe(200);
    expect(await typingOnReading(owner, id)).toBeUndefined();

    await send(id, 'startTyping');
    expect((await send(id, 'text/plain', 'Where is my parcel?')).status).toBe(200);
    expect(await typingOnReading(owner, id)).toBeUndefined();

    await send(id, 'startTyping');
    expect(await typingOnList(owner, id)).toBeDefined();
    expect((await send(id, 'complete')).status).toBe(200);
    expect([await keys.exists(typingKey(id)), await typingOnReading(owner, id)]).toEqual([0, undefined]);

    const second = await chat();
    await send(second.id, 'startTyping');
    expect(await keys.exists(typingKey(second.id))).toBe(1);
    expect((await agentCall(stack, second.owner.token, 'POST', `/chats/${second.id}/complete`)).status).toBe(200);
    expect([await keys.exists(typingKey(second.id)), await typingOnReading(second.owner, second.id)]).toEqual([0, undefined]);
  });

  it('stops showing a startTyping never ended CUSTOMER_TYPING_TTL_MS after it', async () => {
    const { id, owner } = await chat();
    await send(id, 'startTyping');
    expect(await typingOnReading(owner, id)).toBeDefined();
    const ttl = await keys.pttl(typingKey(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TTL_MS);
    await new Promise((r) => setTimeout(r, TTL_MS + 300));
    expect(await typingOnReading(owner, id)).toBeUndefined();
  });

  it('answers sendmessage and the readings while Redis hangs, without the typing, rather than waiting for it', async () => {
    const { id, owner } = await chat();
    await send(id, 'startTyping');
    redis.pause();
    try {
      // Each would wait for Redis until REQUEST_TIMEOUT_MS and be answered 503 without the store's own timeout.
      await answersWithoutTyping(id, owner);
    } finally {
      redis.resume();
    }
  });

  it('still answers sendmessage and the readings while Redis is down, without the typing, and shows it again once Redis is back', async () => {
    const { id, owner } = await chat();
    await send(id, 'startTyping');
    await redis.kill();
    try {
      await answersWithoutTyping(id, owner);
      const xml = await read(owner, id, 'application/xml');
      expect([xml.status, xml.text.includes('customerTyping')]).toEqual([200, false]);
      await waitFor(async () => stack.api.output.some((l) => l.includes("Redis unreachable: the customer's typing")), 5000, 50);
    } finally {
      await redis.start();
    }
    await waitFor(async () => {
      await send(id, 'startTyping');
      return (await typingOnReading(owner, id)) !== undefined;
    }, 20_000, 200);
  });
});
