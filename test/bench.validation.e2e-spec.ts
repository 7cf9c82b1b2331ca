import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startChat } from './support/assignment';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

interface Run {
  ok: number;
  activityIds: string[];
  amount?: number;
  connections?: number;
  rate?: number;
  statuses: Record<string, number>;
  errors: number;
}

/** bench/lib/checks.js, plain JavaScript run by `npm run bench`. */
const checks = require('../bench/lib/checks') as {
  activityWatermark(db: unknown): Promise<{ id: string; at: Date }>;
  validateRun(db: unknown, mark: { id: string }, run: Run, options: { assignTimeoutMs: number }): Promise<{ problems: string[] }>;
};

/** bench/lib/load.js: the paced load of section 3. */
const load = require('../bench/lib/load') as {
  pace(baseUrl: string, load: unknown, options: { rate: number; duration: number }): Promise<Run & { non2xx: number }>;
};

/**
 * The bench's validation after each api run (bench/lib/checks.js) must fail a run in which a
 * chat was assigned twice: the activity reads 'assigned' either way, so it is the second
 * 'assigned' event or the agent's count of active chats that shows it.
 */
describe('bench: a run validates only when each activity was assigned once', () => {
  let stack: Stack;
  let mark: { id: string };
  let run: Run;
  let conversationId: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 10 });
    mark = await checks.activityWatermark(stack.db);
    const client = await clientOf(stack);
    const chats = [await startChat(stack, client), await startChat(stack, client)];
    await waitFor(async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE id > ? AND state = 'assigned'", [mark.id]))[0].n) === 2);
    conversationId = chats[0].conversationId;
    run = { ok: 2, activityIds: chats.map((c) => c.activityId), amount: 2, connections: 1, statuses: { 200: 2 }, errors: 0 };
  }, 120000);
  afterAll(async () => stack?.stop());

  const validate = async () => (await checks.validateRun(stack.db, mark, run, { assignTimeoutMs: 5000 })).problems;

  /** The rows a second assignment of the chat would leave: its event and the agent's slot, or either alone. */
  async function assignAgain(parts: { event: boolean; slot: boolean }): Promise<() => Promise<void>> {
    const [{ agent_id: agentId }] = await stack.db.query('SELECT agent_id FROM activity WHERE conversation_id = ?', [conversationId]);
    if (parts.event) {
      await stack.db.query("INSERT INTO message (id, conversation_id, sender_type, agent_id, type, content, created_at) VALUES (UUID(), ?, 'user', ?, 'assigned', NULL, NOW(3))", [conversationId, agentId]);
    }
    if (parts.slot) await stack.db.query('UPDATE agent SET active_chats = active_chats + 1 WHERE id = ?', [agentId]);
    return async () => {
      if (parts.event) {
        await stack.db.query("DELETE FROM message WHERE conversation_id = ? AND type = 'assigned' ORDER BY seq DESC LIMIT 1", [conversationId]);
      }
      if (parts.slot) await stack.db.query('UPDATE agent SET active_chats = active_chats - 1 WHERE id = ?', [agentId]);
    };
  }

  it('passes a run whose chats were assigned once', async () => {
    expect(await validate()).toEqual([]);
  });

  it('fails a paced run that created more activities than it had 2xx answers', async () => {
    // As lib/load.js's pace reports it: a rate, neither an amount nor connections.
    const paced: Run = { rate: 150, ok: 1, activityIds: [run.activityIds[0]], statuses: { 200: 1 }, errors: 0 };
    const { problems } = await checks.validateRun(stack.db, mark, paced, { assignTimeoutMs: 5000 });
    expect(problems).toEqual(['1 2xx answers (up to 0 more cut off by the end of the run) but 2 activities created']);
  });

  it.each([
    ['a second assigned event and slot', { event: true, slot: true }, 2],
    ['a second assigned event alone', { event: true, slot: false }, 1],
    ['an agent slot taken twice alone', { event: false, slot: true }, 1],
  ])('fails a run with %s', async (_, parts, count) => {
    const undo = await assignAgain(parts);
    try {
      const problems = await validate();
      expect(problems).toHaveLength(count);
      if (parts.event) expect(problems).toContainEqual(expect.stringMatching(/^1 assigned activities have other than one 'assigned' event/));
      if (parts.slot) expect(problems).toContainEqual(expect.stringMatching(/^agent \d+ counts \d+ active chats but holds \d+ assigned activities$/));
    } finally {
      await undo();
    }
    expect(await validate()).toEqual([]);
  });
});

/**
 * A paced run must count its 2xx answers as 2xx whether or not they carry an activity id, as an
 * autocannon run does: validation refuses a 2xx without one only if it is counted.
 */
describe('bench: a paced run counts every 2xx answer', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    let n = 0;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        n++;
        const [status, body] = n === 1 ? [200, '{"activity":{"id":"7"}}'] : n === 2 ? [200, '{}'] : [503, '{}'];
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('counts a 2xx without an activity id as a 2xx, not as a non-2xx', async () => {
    const request = { method: 'POST', path: '/start', headers: { 'content-type': 'application/json' }, body: '{}' };
    const run = await load.pace(baseUrl, { format: 'json', request }, { rate: 30, duration: 0.1 });
    expect({ ok: run.ok, activityIds: run.activityIds, non2xx: run.non2xx }).toEqual({ ok: 2, activityIds: ['7'], non2xx: 1 });
  });
});
