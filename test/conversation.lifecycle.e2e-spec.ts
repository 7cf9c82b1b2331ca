import type { ErrorKind } from '../src/platform/errors/error-catalogue';
import { adminApi, adminLogin } from './support/admin';
import { agentCall, agentLogin } from './support/assignment';
import { customerWithEmail, http, lastModified, login, start, startDocument, type HttpResult } from './support/client';
import { differences, LifecycleModel, snapshot, type AgentModel, type ConversationModel } from './support/lifecycle-model';
import { message, receiveCallbacks, sendMessage } from './support/messaging';
import { generator } from './support/seeded-random';
import { Stack, waitFor } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';
import { expectError as expectErrorKind } from './support/ws-error';

const SEED = Number(process.env.LIFECYCLE_SEED ?? 20260214);
const STEPS = Number(process.env.LIFECYCLE_STEPS ?? 80);
/** How long a waiting chat may stay waiting while an agent could take it. */
const ASSIGNMENT_BOUND_MS = 3000;
const ENTRY_POINT_OF_QUEUE: Record<string, string> = { '1': '1001', '2': '1002' };
const CUSTOMERS = ['ada', 'grace', 'edsger'].map((n) => `${n}.${process.pid}@lifecycle.example`);

/**
 * A seeded run of legal and refused operations over three customers, the demo's three agents
 * and its two queues: starts, messages both ways, logins and logouts, availability and limits
 * set by the agents and by an administrator, queue membership, logging an agent out from the
 * administration, transfers and completions. After every step the database is compared with a
 * model of what the documentation says (test/support/lifecycle-model.ts); a refused operation
 * must answer its WSError and change nothing; a waiting chat must reach an agent free to take
 * it within ASSIGNMENT_BOUND_MS, and only such an agent. The sweep is slowed down, so every
 * assignment comes from the event that opened capacity. LIFECYCLE_STEPS and LIFECYCLE_SEED
 * replay longer or other runs.
 */
describe('conversation lifecycle: a seeded run checked against a model after every step', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;
  let admin: ReturnType<typeof adminApi>;
  let clientToken: string;
  const lm: Record<string, string> = {};
  const model = new LifecycleModel();
  const random = generator(SEED);
  const log: string[] = [];
  /** Agents that were available for a moment within the step (a race the administrator won in the end). */
  const availableDuringStep = new Set<string>();

  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  /** A conversation, an open one three times in four when there is one. */
  const aConversation = (): ConversationModel | undefined => {
    const open = model.conversations.filter((c) => c.state !== 'completed');
    return pick(open.length > 0 && random() < 0.75 ? open : model.conversations);
  };

  beforeAll(async () => {
    stack = await Stack.start({
      env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000', LOGIN_THROTTLE_LIMIT_PER_IP: '100000', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '100000' },
    });
    receiver = await receiveCallbacks(stack);
    // The demo's agents are written available with no session; here presence follows sessions from the start.
    await stack.db.query("UPDATE agent SET availability = 'logged_out'");
    const rows: any[] = await stack.db.query('SELECT g.id, u.username, g.max_chats FROM agent g JOIN user_account u ON u.id = g.id ORDER BY g.id');
    for (const r of rows) {
      const queues: any[] = await stack.db.query('SELECT queue_id FROM agent_queue WHERE agent_id = ?', [r.id]);
      const id = String(r.id);
      model.agents.set(id, { id, username: r.username, sessions: [], availability: 'logged_out', maxChats: Number(r.max_chats), queues: new Set(queues.map((q) => String(q.queue_id))) });
    }
    admin = adminApi(stack, await adminLogin(stack));
    clientToken = await login(stack);
    for (const ep of Object.values(ENTRY_POINT_OF_QUEUE)) lm[ep] = await lastModified(stack, clientToken, ep);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  /** The shared check, with the run's last operations: what led to a wrong answer. */
  function expectError(res: HttpResult, kind: ErrorKind): void {
    try {
      expectErrorKind(res, kind);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${log.slice(-15).join('\n')}`);
    }
  }

  function expectAnswer(res: HttpResult, status: number, what: string): void {
    if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}\n${log.slice(-15).join('\n')}`);
  }

  /** A request that must be refused with `kind` and leave every row as it was. */
  async function refused(what: string, kind: ErrorKind, request: () => Promise<HttpResult>): Promise<void> {
    log.push(`${what} (refused ${kind})`);
    const before = await snapshot(stack);
    const res = await request();
    expectError(res, kind);
    expect(res.text).not.toMatch(/\bat .+\.js:\d+/);
    expect(await snapshot(stack)).toBe(before);
  }

  function anAgent(): AgentModel {
    return pick([...model.agents.values()]);
  }

  /** An agent with a live session, logging one in if none has. */
  async function aPresentAgent(): Promise<AgentModel> {
    const present = [...model.agents.values()].filter((a) => a.sessions.length > 0);
    if (present.length > 0) return pick(present);
    const a = anAgent();
    await logIn(a);
    return a;
  }

  async function logIn(a: AgentModel): Promise<void> {
    log.push(`login ${a.username}`);
    a.sessions.push((await agentLogin(stack, a.username)).token);
    if (a.availability === 'logged_out') a.availability = 'not_available';
  }

  function record(c: ConversationModel, type: string, sender: 'customer' | 'user' | 'system', agentId: string | null, content?: string): void {
    c.events.push({ type, sender, agentId, content });
  }

  /** An assignment the worker made, checked to have gone to an agent the model says could take the chat. */
  function takeAssignment(c: ConversationModel, agent: AgentModel): void {
    if (!model.mayTake(agent, c.queueId) && !(availableDuringStep.has(agent.id) && agent.queues.has(c.queueId))) {
      throw new Error(`${c.id} of queue ${c.queueId} assigned to ${agent.username}, who could not take it: ${JSON.stringify({ ...agent, queues: [...agent.queues], open: model.openChats(agent.id) })}\n${log.slice(-15).join('\n')}`);
    }
    record(c, 'assigned', 'user', agent.id);
    Object.assign(c, { state: 'assigned', agentId: agent.id });
  }

  const operations: [number, () => Promise<void>][] = [
    [14, async () => {
      const queueId = pick(['1', '2']);
      const ep = ENTRY_POINT_OF_QUEUE[queueId];
      const doc = startDocument(lm[ep], { customer: customerWithEmail(pick(CUSTOMERS)) }, ep);
      const send = () => start(stack, doc, { token: clientToken, query: 'searchContactOnAttribute=email.emailAddress' });
      if (!model.hasTaker(queueId)) return refused(`start in queue ${queueId}`, 'NoAgentAvailable', send);
      log.push(`start in queue ${queueId}`);
      const res = await send();
      expectAnswer(res, 200, 'start');
      model.conversations.push({ id: res.body.conversation.id, queueId, state: 'waiting', agentId: null, events: [] });
    }],
    [3, async () => {
      const c = aConversation();
      if (!c) return;
      const send = () => sendMessage(stack, clientToken, message(c.id, 'text/plain', 'Where is my parcel?'));
      if (c.state === 'completed') return refused(`customer writes into ended ${c.id}`, 'ConversationStateConflict', send);
      log.push(`customer writes into ${c.id}`);
      expectAnswer(await send(), 200, 'customer text');
      record(c, 'text/plain', 'customer', null);
    }],
    [1, async () => {
      const c = aConversation();
      if (!c) return;
      const send = () => sendMessage(stack, clientToken, message(c.id, 'complete'));
      if (c.state === 'completed') return refused(`customer completes ended ${c.id}`, 'ConversationStateConflict', send);
      log.push(`customer completes ${c.id}`);
      expectAnswer(await send(), 200, 'customer complete');
      record(c, 'complete', 'system', null);
      c.state = 'completed';
    }],
    [3, async () => logIn(anAgent())],
    [1, async () => {
      const a = [...model.agents.values()].filter((x) => x.sessions.length > 0);
      if (a.length === 0) return;
      const agent = pick(a);
      const token = agent.sessions.splice(Math.floor(random() * agent.sessions.length), 1)[0];
      log.push(`logout ${agent.username}`);
      const res = await http(`${stack.contextUrl}/ws/v19/agent/authentication/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expectAnswer(res, 204, 'logout');
      if (agent.sessions.length === 0) agent.availability = 'logged_out';
    }],
    [6, async () => {
      const a = await aPresentAgent();
      const availability = random() < 0.8 ? 'available' : 'not_available';
      log.push(`${a.username} sets ${availability}`);
      expectAnswer(await agentCall(stack, a.sessions[0], 'PUT', '/availability', { availability }), 200, 'availability');
      a.availability = availability;
    }],
    [2, async () => {
      const a = await aPresentAgent();
      const maxChats = 1 + Math.floor(random() * 4);
      const send = () => agentCall(stack, a.sessions[0], 'PUT', '/chatlimit', { maxChats });
      if (maxChats < model.openChats(a.id)) return refused(`${a.username} limit ${maxChats}`, 'ChatLimitBelowActiveChats', send);
      log.push(`${a.username} limit ${maxChats}`);
      expectAnswer(await send(), 200, 'chat limit');
      a.maxChats = maxChats;
    }],
    [3, async () => {
      const a = await aPresentAgent();
      const c = pick(model.conversations.filter((x) => x.agentId !== null));
      if (!c) return;
      const send = () => sendMessage(stack, a.sessions[0], message(c.id, 'text/plain', 'Let me check.'), 'agent');
      if (c.agentId !== a.id) return c.state === 'assigned' ? refused(`${a.username} writes into ${c.id} of ${c.agentId}`, 'NotYourConversation', send) : undefined;
      if (c.state === 'completed') return refused(`${a.username} writes into its ended ${c.id}`, 'ConversationStateConflict', send);
      log.push(`${a.username} writes into ${c.id}`);
      expectAnswer(await send(), 200, 'agent text');
      record(c, 'text/html', 'user', a.id);
    }],
    [2, async () => {
      const a = await aPresentAgent();
      const c = pick(model.conversations.filter((x) => x.agentId !== null));
      if (!c) return;
      const send = () => agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/complete`);
      if (c.agentId !== a.id) return c.state === 'assigned' ? refused(`${a.username} completes ${c.id} of ${c.agentId}`, 'NotYourConversation', send) : undefined;
      if (c.state === 'completed') return refused(`${a.username} completes its ended ${c.id}`, 'ConversationStateConflict', send);
      log.push(`${a.username} completes ${c.id}`);
      expectAnswer(await send(), 200, 'agent complete');
      record(c, 'complete', 'user', a.id);
      c.state = 'completed';
    }],
    [4, async () => {
      const a = await aPresentAgent();
      const c = pick(model.ownAssigned(a.id));
      if (!c) return;
      const queueId = pick(['1', '2']);
      log.push(`${a.username} transfers ${c.id} to queue ${queueId}`);
      expectAnswer(await agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/transfer`, { queue: { id: queueId } }), 200, 'transfer to queue');
      record(c, 'transfer', 'user', a.id, `queue:${queueId}`);
      Object.assign(c, { state: 'waiting', agentId: null, queueId });
    }],
    [3, async () => {
      const a = await aPresentAgent();
      const c = pick(model.ownAssigned(a.id));
      if (!c) return;
      const target = anAgent();
      const send = () => agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/transfer`, { agent: { id: target.id } });
      if (target === a) return refused(`${a.username} transfers ${c.id} to itself`, 'TransferTargetInvalid', send);
      if (target.availability !== 'available' || model.openChats(target.id) >= target.maxChats) return refused(`${a.username} transfers ${c.id} to ${target.username}`, 'AgentUnavailable', send);
      log.push(`${a.username} transfers ${c.id} to ${target.username}`);
      expectAnswer(await send(), 200, 'transfer to agent');
      record(c, 'transfer', 'user', a.id, `agent:${target.id}`);
      record(c, 'assigned', 'user', target.id);
      c.agentId = target.id;
    }],
    [2, async () => {
      const a = anAgent();
      const maxChats = 1 + Math.floor(random() * 4);
      const send = () => admin('PATCH', `agents/${a.id}`, { body: { maxChats } });
      if (maxChats < model.openChats(a.id)) return refused(`admin: ${a.username} limit ${maxChats}`, 'ChatLimitBelowActiveChats', send);
      log.push(`admin: ${a.username} limit ${maxChats}`);
      expectAnswer(await send(), 200, 'admin limit');
      a.maxChats = maxChats;
    }],
    [2, async () => {
      const a = anAgent();
      const queueIds = pick([['1'], ['2'], ['1', '2']]);
      log.push(`admin: ${a.username} queues ${queueIds}`);
      expectAnswer(await admin('PATCH', `agents/${a.id}`, { body: { queueIds } }), 200, 'admin queues');
      a.queues = new Set(queueIds);
    }],
    [1, async () => {
      const a = anAgent();
      log.push(`admin: ${a.username} logged_out`);
      expectAnswer(await admin('PATCH', `agents/${a.id}`, { body: { availability: 'logged_out' } }), 200, 'admin logged_out');
      a.sessions = [];
      a.availability = 'logged_out';
    }],
    [2, async () => {
      const a = anAgent();
      const send = () => admin('PATCH', `agents/${a.id}`, { body: { availability: 'available' } });
      if (a.sessions.length === 0) return refused(`admin: ${a.username} available without a session`, 'AgentNotLoggedIn', send);
      log.push(`admin: ${a.username} available`);
      expectAnswer(await send(), 200, 'admin available');
      a.availability = 'available';
    }],
    [1, async () => {
      const a = await aPresentAgent();
      await refused(`revoke with ${a.username}'s token`, 'NotClientApplicationSession', () =>
        http(`${stack.clientApiUrl}/authentication/oauth2/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${a.sessions[0]}` } }));
    }],
    [2, async () => {
      // The customer ends a chat while its agent completes or transfers it: one end, recorded once, last.
      const a = await aPresentAgent();
      const c = pick(model.ownAssigned(a.id));
      if (!c) return;
      const queueId = pick(['1', '2']);
      const agentSide = pick(['complete', 'transfer'] as const);
      log.push(`customer completes ${c.id} while ${a.username} ${agentSide === 'complete' ? 'completes it' : `transfers it to queue ${queueId}`}`);
      const [byAgent, byCustomer] = await Promise.all([
        agentSide === 'complete'
          ? agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/complete`)
          : agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/transfer`, { queue: { id: queueId } }),
        sendMessage(stack, clientToken, message(c.id, 'complete')),
      ]);
      if (byAgent.status === 200) {
        if (agentSide === 'complete') {
          expectError(byCustomer, 'ConversationStateConflict');
          record(c, 'complete', 'user', a.id);
          c.state = 'completed';
          return;
        }
        record(c, 'transfer', 'user', a.id, `queue:${queueId}`);
        Object.assign(c, { state: 'waiting', agentId: null, queueId });
        // A drain may have assigned the chat between the transfer and the end.
        const [taken] = await stack.db.query(
          "SELECT agent_id FROM message WHERE conversation_id = ? AND type = 'assigned' AND seq > (SELECT MAX(seq) FROM message WHERE conversation_id = ? AND type = 'transfer')",
          [c.id, c.id],
        );
        if (taken) takeAssignment(c, model.agents.get(String(taken.agent_id))!);
      } else {
        expectError(byAgent, 'ConversationStateConflict');
      }
      expectAnswer(byCustomer, 200, 'customer complete in a race');
      record(c, 'complete', 'system', null);
      c.state = 'completed';
    }],
    [1, async () => {
      // An administrator logs an agent out while the agent makes itself available: it ends logged_out either way.
      const a = await aPresentAgent();
      log.push(`admin: ${a.username} logged_out while it sets available`);
      const [byAgent, byAdmin] = await Promise.all([
        agentCall(stack, a.sessions[0], 'PUT', '/availability', { availability: 'available' }),
        admin('PATCH', `agents/${a.id}`, { body: { availability: 'logged_out' } }),
      ]);
      expectAnswer(byAdmin, 200, 'admin logged_out in a race');
      if (byAgent.status === 200) availableDuringStep.add(a.id);
      else expectError(byAgent, 'AgentNotLoggedIn');
      a.sessions = [];
      a.availability = 'logged_out';
    }],
    [3, async () => {
      // An agent steps away: not available first, then its chat back to a queue, where it waits for another agent.
      const a = await aPresentAgent();
      const c = pick(model.ownAssigned(a.id));
      if (!c) return;
      const queueId = pick(['1', '2']);
      log.push(`${a.username} steps away and transfers ${c.id} to queue ${queueId}`);
      expectAnswer(await agentCall(stack, a.sessions[0], 'PUT', '/availability', { availability: 'not_available' }), 200, 'availability');
      a.availability = 'not_available';
      expectAnswer(await agentCall(stack, a.sessions[0], 'POST', `/chats/${c.id}/transfer`, { queue: { id: queueId } }), 200, 'transfer to queue');
      record(c, 'transfer', 'user', a.id, `queue:${queueId}`);
      Object.assign(c, { state: 'waiting', agentId: null, queueId });
    }],
  ];
  const totalWeight = operations.reduce((n, [w]) => n + w, 0);

  function nextOperation(): () => Promise<void> {
    let r = random() * totalWeight;
    for (const [w, op] of operations) if ((r -= w) < 0) return op;
    return operations[operations.length - 1][1];
  }

  /**
   * Waits until no waiting chat has an agent free to take it, then takes the assignments made
   * meanwhile into the model, in the order they were made, each checked to have gone to an
   * agent the model says could take it.
   */
  async function settle(): Promise<void> {
    const stuck = () => stack.db.query(
      `SELECT a.conversation_id FROM activity a WHERE a.state = 'waiting' AND EXISTS (
         SELECT 1 FROM agent g JOIN agent_queue q ON q.agent_id = g.id AND q.queue_id = a.queue_id
          WHERE g.availability = 'available' AND g.active_chats < g.max_chats)`,
    );
    await waitFor(async () => (await stuck()).length === 0, ASSIGNMENT_BOUND_MS, 20).catch(async () => {
      throw new Error(`chats still waiting ${ASSIGNMENT_BOUND_MS} ms after an agent could take them: ${JSON.stringify(await stuck())}\n${log.slice(-15).join('\n')}`);
    });
    const waiting = model.conversations.filter((c) => c.state === 'waiting');
    if (waiting.length === 0) return;
    const made: any[] = await stack.db.query(
      `SELECT a.conversation_id, a.agent_id FROM activity a JOIN message m ON m.conversation_id = a.conversation_id AND m.type = 'assigned'
        WHERE a.state = 'assigned' AND a.conversation_id IN (?) AND m.seq = (SELECT MAX(seq) FROM message WHERE conversation_id = a.conversation_id AND type = 'assigned')
        ORDER BY m.seq`,
      [waiting.map((c) => c.id)],
    );
    for (const row of made) {
      const c = waiting.find((w) => w.id === row.conversation_id)!;
      const agent = model.agents.get(String(row.agent_id))!;
      takeAssignment(c, agent);
    }
    for (const c of model.conversations.filter((x) => x.state === 'waiting')) {
      if (model.hasTaker(c.queueId)) throw new Error(`${c.id} left waiting in queue ${c.queueId} although the model has an agent for it\n${log.slice(-15).join('\n')}`);
    }
  }

  it(`keeps every rule through ${STEPS} operations (seed ${SEED})`, async () => {
    // The run begins with every agent at work.
    for (const a of model.agents.values()) {
      await logIn(a);
      expectAnswer(await agentCall(stack, a.sessions[0], 'PUT', '/availability', { availability: 'available' }), 200, 'availability');
      a.availability = 'available';
    }
    for (let step = 0; step < STEPS; step++) {
      availableDuringStep.clear();
      await nextOperation()();
      await settle();
      const found = await differences(stack, model);
      if (found.length > 0) throw new Error(`after step ${step}:\n${found.join('\n')}\n--- last operations:\n${log.slice(-15).join('\n')}`);
    }
    // Each event the application hears reaches its callback, in transcript order, complete last.
    for (const c of model.conversations) {
      const heard: any[] = await stack.db.query("SELECT id FROM message WHERE conversation_id = ? AND sender_type <> 'customer' ORDER BY seq", [c.id]);
      const ids = heard.map((m) => m.id);
      const got = await receiver.waitFor(() => {
        const delivered = [...new Set(receiver.delivered(c.id).map((m) => m.id))];
        return delivered.length >= ids.length && delivered;
      });
      expect(got).toEqual(ids);
    }
    expect(model.conversations.length).toBeGreaterThan(0);
  }, 120000);
});
