import { http, start, startDocument, type HttpResult } from './client';
import { waitFor, type Stack } from './stack';

/** Helpers of the assignment e2e tests: agents, their API, anonymous starts, the rows that matter. */

export interface AgentSession {
  userId: string;
  token: string;
}

export async function agentLogin(stack: Stack, username: string, password = stack.credentials.agentPassword): Promise<AgentSession> {
  const res = await http(`${stack.contextUrl}/ws/v19/agent/authentication/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`agent login failed: ${res.status} ${res.text}`);
  return { userId: String(res.body.user.id), token: res.body.access_token as string };
}

/** A call to the agent API (`/ws/v19/agent...`) with a bearer token. */
export function agentCall(stack: Stack, token: string, method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<HttpResult> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return http(`${stack.contextUrl}/ws/v19/agent${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export interface AgentSpec {
  username: string;
  maxChats: number;
  availability?: 'available' | 'not_available' | 'logged_out';
}

/** Adds agents to a queue (with the demo agents' password); returns their ids in order. */
export async function addAgents(stack: Stack, queueId: string, specs: AgentSpec[]): Promise<string[]> {
  const [{ password_hash: hash }] = await stack.db.query("SELECT password_hash FROM user_account WHERE username = 'alice'");
  const ids: string[] = [];
  for (const spec of specs) {
    const user = await stack.db.query("INSERT INTO user_account (role, username, password_hash, display_name) VALUES ('agent', ?, ?, ?)", [spec.username, hash, spec.username]);
    await stack.db.query('INSERT INTO agent (id, availability, max_chats) VALUES (?, ?, ?)', [user.insertId, spec.availability ?? 'available', spec.maxChats]);
    await stack.db.query('INSERT INTO agent_queue (agent_id, queue_id) VALUES (?, ?)', [user.insertId, queueId]);
    ids.push(String(user.insertId));
  }
  return ids;
}

export async function agentIdOf(stack: Stack, username: string): Promise<string> {
  const [row] = await stack.db.query('SELECT id FROM user_account WHERE username = ?', [username]);
  return String(row.id);
}

export function startAnonymous(stack: Stack, client: { token: string; lm: string; entryPointId: string }, activity?: Record<string, unknown>): Promise<HttpResult> {
  return start(stack, startDocument(client.lm, activity, client.entryPointId), { token: client.token, query: 'anonymousCustomer=yes' });
}

/** An anonymous chat on the client's entry point (with `activity`'s fields, a subject say), once its activity exists; a start refused throws. */
export async function startChat(stack: Stack, client: { token: string; lm: string; entryPointId: string }, activity?: Record<string, unknown>): Promise<{ conversationId: string; activityId: string }> {
  const res = await startAnonymous(stack, client, activity);
  if (res.status !== 200) throw new Error(`start answered ${res.status}: ${res.text}`);
  const conversationId = res.body.conversation.id as string;
  return { conversationId, activityId: String((await waitForActivity(stack, conversationId, () => true)).id) };
}

export interface ActivityRow {
  id: string;
  conversation_id: string;
  state: string;
  agent_id: string | null;
  queue_id: string;
}

export async function activityOf(stack: Stack, conversationId: string): Promise<ActivityRow> {
  const [row] = await stack.db.query('SELECT id, conversation_id, state, agent_id, queue_id FROM activity WHERE conversation_id = ?', [conversationId]);
  return row;
}

export function waitForActivity(stack: Stack, conversationId: string, predicate: (a: ActivityRow) => boolean, timeoutMs = 10000): Promise<ActivityRow> {
  return waitFor(async () => {
    const a = await activityOf(stack, conversationId);
    return a && predicate(a) ? a : undefined;
  }, timeoutMs, 20);
}

/** Event types recorded for a conversation, in order. */
export async function eventsOf(stack: Stack, conversationId: string): Promise<{ type: string; sender_type: string; agent_id: string | null; content: string | null }[]> {
  return stack.db.query('SELECT type, sender_type, agent_id, content FROM message WHERE conversation_id = ? ORDER BY seq', [conversationId]);
}

/**
 * Exactly-once check over every activity: one 'assigned' event per assignment, made by
 * the agent the activity holds, and each agent's counter equal to its open chats.
 */
export async function assignmentLedger(stack: Stack): Promise<{ activities: number; byState: Record<string, number>; duplicateAssigned: string[]; mismatchedAgent: string[]; counterMismatch: string[] }> {
  const activities: { n: string }[] = await stack.db.query('SELECT COUNT(*) AS n FROM activity');
  const states: { state: string; n: string }[] = await stack.db.query('SELECT state, COUNT(*) AS n FROM activity GROUP BY state');
  const duplicates: { conversation_id: string }[] = await stack.db.query(
    "SELECT conversation_id FROM message WHERE type = 'assigned' GROUP BY conversation_id HAVING COUNT(*) > 1",
  );
  const mismatched: { conversation_id: string }[] = await stack.db.query(
    `SELECT a.conversation_id FROM activity a LEFT JOIN message m ON m.conversation_id = a.conversation_id AND m.type = 'assigned'
      WHERE a.state IN ('assigned', 'completed') AND (m.agent_id IS NULL OR m.agent_id <> a.agent_id)`,
  );
  const counters: { id: string }[] = await stack.db.query(
    `SELECT g.id FROM agent g LEFT JOIN (SELECT agent_id, COUNT(*) AS n FROM activity WHERE state = 'assigned' GROUP BY agent_id) a ON a.agent_id = g.id
      WHERE g.active_chats <> COALESCE(a.n, 0)`,
  );
  return {
    activities: Number(activities[0].n),
    byState: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    duplicateAssigned: duplicates.map((d) => d.conversation_id),
    mismatchedAgent: mismatched.map((m) => m.conversation_id),
    counterMismatch: counters.map((c) => String(c.id)),
  };
}
