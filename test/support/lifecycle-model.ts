import type { Stack } from './stack';

/**
 * What the lifecycle e2e test expects of agents and conversations, kept beside the real
 * platform and compared with its database after every step: presence, limits, queues and
 * sessions of each agent; state, holder and transcript of each conversation.
 */

export type Availability = 'available' | 'not_available' | 'logged_out';

export interface AgentModel {
  id: string;
  username: string;
  /** Bearer tokens of its live sessions. */
  sessions: string[];
  availability: Availability;
  maxChats: number;
  queues: Set<string>;
}

export interface EventModel {
  type: string;
  sender: 'customer' | 'user' | 'system';
  agentId: string | null;
  content?: string;
}

export interface ConversationModel {
  id: string;
  queueId: string;
  state: 'waiting' | 'assigned' | 'completed';
  /** The agent holding it, or the one that held it when it ended (null if it ended waiting). */
  agentId: string | null;
  events: EventModel[];
}

export class LifecycleModel {
  readonly agents = new Map<string, AgentModel>();
  readonly conversations: ConversationModel[] = [];

  openChats(agentId: string): number {
    return this.conversations.filter((c) => c.state === 'assigned' && c.agentId === agentId).length;
  }

  /** An agent a waiting chat of `queueId` may be given: available, of the queue, below its limit. */
  mayTake(agent: AgentModel, queueId: string): boolean {
    return agent.availability === 'available' && agent.queues.has(queueId) && this.openChats(agent.id) < agent.maxChats;
  }

  hasTaker(queueId: string): boolean {
    return [...this.agents.values()].some((a) => this.mayTake(a, queueId));
  }

  ownAssigned(agentId: string): ConversationModel[] {
    return this.conversations.filter((c) => c.state === 'assigned' && c.agentId === agentId);
  }
}

/** A picture of the rows a refused request must leave as they were. */
export async function snapshot(stack: Stack): Promise<string> {
  const parts = await Promise.all([
    stack.db.query('SELECT id, state, agent_id, queue_id, assigned_at, completed_at FROM activity ORDER BY id'),
    stack.db.query('SELECT id, availability, max_chats, active_chats FROM agent ORDER BY id'),
    stack.db.query('SELECT agent_id, queue_id FROM agent_queue ORDER BY agent_id, queue_id'),
    stack.db.query('SELECT COUNT(*) AS n FROM message'),
    stack.db.query('SELECT COUNT(*) AS n FROM outbox'),
    stack.db.query('SELECT COUNT(*) AS n FROM webhook_delivery'),
    stack.db.query("SELECT kind, subject_id, COUNT(*) AS n FROM session WHERE ended_at IS NULL AND expires_at > NOW(3) GROUP BY kind, subject_id ORDER BY kind, subject_id"),
  ]);
  return JSON.stringify(parts);
}

/**
 * Every difference between the database and the model: each agent's presence, limit, queues,
 * live sessions and open-chat counter (equal to its assigned chats, never above its limit);
 * each activity's state and holder (an assigned one has an agent and assigned_at, an ended one
 * completed_at, a waiting one no agent); each transcript event by event; and each event the
 * application hears queued for delivery once, in transcript order.
 */
export async function differences(stack: Stack, model: LifecycleModel): Promise<string[]> {
  const found: string[] = [];
  const agents: any[] = await stack.db.query('SELECT id, availability, max_chats, active_chats FROM agent');
  const memberships: any[] = await stack.db.query('SELECT agent_id, queue_id FROM agent_queue');
  const sessions: any[] = await stack.db.query(
    "SELECT subject_id, COUNT(*) AS n FROM session WHERE kind = 'agent' AND ended_at IS NULL AND expires_at > NOW(3) GROUP BY subject_id",
  );
  const assigned: any[] = await stack.db.query("SELECT agent_id, COUNT(*) AS n FROM activity WHERE state = 'assigned' GROUP BY agent_id");
  for (const a of model.agents.values()) {
    const row = agents.find((r) => String(r.id) === a.id);
    const queues = memberships.filter((m) => String(m.agent_id) === a.id).map((m) => String(m.queue_id)).sort();
    const live = Number(sessions.find((s) => String(s.subject_id) === a.id)?.n ?? 0);
    const held = Number(assigned.find((s) => String(s.agent_id) === a.id)?.n ?? 0);
    const open = model.openChats(a.id);
    if (row.availability !== a.availability) found.push(`agent ${a.id}: availability ${row.availability}, expected ${a.availability}`);
    if (Number(row.max_chats) !== a.maxChats) found.push(`agent ${a.id}: max_chats ${row.max_chats}, expected ${a.maxChats}`);
    if (queues.join() !== [...a.queues].sort().join()) found.push(`agent ${a.id}: queues ${queues}, expected ${[...a.queues]}`);
    if (live !== a.sessions.length) found.push(`agent ${a.id}: ${live} live sessions, expected ${a.sessions.length}`);
    if (Number(row.active_chats) !== held) found.push(`agent ${a.id}: active_chats ${row.active_chats}, but ${held} assigned activities`);
    if (held !== open) found.push(`agent ${a.id}: ${held} assigned activities, expected ${open}`);
    if (Number(row.active_chats) > Number(row.max_chats)) found.push(`agent ${a.id}: active_chats ${row.active_chats} above max_chats ${row.max_chats}`);
  }
  for (const c of model.conversations) {
    const [act] = await stack.db.query('SELECT state, agent_id, queue_id, assigned_at, completed_at FROM activity WHERE conversation_id = ?', [c.id]);
    const agentId = act.agent_id === null ? null : String(act.agent_id);
    if (act.state !== c.state) found.push(`${c.id}: state ${act.state}, expected ${c.state}`);
    if (agentId !== c.agentId) found.push(`${c.id}: agent ${agentId}, expected ${c.agentId}`);
    if (String(act.queue_id) !== c.queueId) found.push(`${c.id}: queue ${act.queue_id}, expected ${c.queueId}`);
    if (act.state === 'assigned' && (act.agent_id === null || act.assigned_at === null || act.completed_at !== null)) found.push(`${c.id}: assigned without agent or assigned_at, or with completed_at`);
    if (act.state === 'waiting' && (act.agent_id !== null || act.completed_at !== null)) found.push(`${c.id}: waiting with an agent or completed_at`);
    if (act.state === 'completed' && act.completed_at === null) found.push(`${c.id}: completed without completed_at`);
    const events: any[] = await stack.db.query('SELECT id, type, sender_type, agent_id, content FROM message WHERE conversation_id = ? ORDER BY seq', [c.id]);
    const got = events.map((e) => describe({ type: e.type, sender: e.sender_type, agentId: e.agent_id === null ? null : String(e.agent_id), content: e.content ?? undefined }));
    const want = c.events.map(describe);
    if (got.join(' | ') !== want.join(' | ')) found.push(`${c.id}: transcript\n  ${got.join(' | ')}\nexpected\n  ${want.join(' | ')}`);
    const queued: any[] = await stack.db.query('SELECT message_id FROM webhook_delivery WHERE conversation_id = ? ORDER BY seq', [c.id]);
    const heard = events.filter((e) => e.sender_type !== 'customer').map((e) => e.id);
    if (queued.map((q) => q.message_id).join() !== heard.join()) found.push(`${c.id}: webhook deliveries ${queued.map((q) => q.message_id)} for events ${heard}`);
  }
  return found;
}

function describe(e: EventModel): string {
  return `${e.type}/${e.sender}${e.agentId ? `:${e.agentId}` : ''}${e.type === 'transfer' ? `(${e.content})` : ''}`;
}
