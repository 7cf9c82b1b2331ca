import { http, login, lastModified, startDocument, type HttpResult } from './support/client';
import { startSecondApiHost } from './support/api-hosts';
import { agentLogin, assignmentLedger } from './support/assignment';
import { type RunningProcess, Stack, stopProcess, waitFor } from './support/stack';

const CHATS = 20;
const ROUNDS = 2;

/**
 * Everything that can end or move one chat, sent at once and split across two api hosts and
 * two workers: the customer's `complete`, the agent's complete and transfer to the chat's own
 * queue (the workers assign it again meanwhile), and both sides' messages. Each conversation
 * ends once, `complete` its last event, every agent's counter equals its open chats, and every
 * answer is a 2xx or the refusal the state calls for.
 */
describe('conversation: ending and moving one chat from every side at once', () => {
  let stack: Stack;
  let second: { host: RunningProcess; baseUrl: string };
  let contextUrls: string[];
  let token: string;
  let lm: string;
  const agentTokens = new Map<string, string>();

  beforeAll(async () => {
    stack = await Stack.start({ workers: 2, agentCapacity: 1000 });
    second = await startSecondApiHost(stack, {});
    contextUrls = [stack.contextUrl, `${second.baseUrl}/system`];
    token = await login(stack);
    lm = await lastModified(stack, token);
    for (const u of ['alice', 'bob']) {
      const session = await agentLogin(stack, u);
      agentTokens.set(session.userId, session.token);
    }
  }, 120_000);

  afterAll(async () => {
    if (second) await stopProcess(second.host, 'SIGTERM');
    await stack?.stop();
  });

  const call = (host: number, bearer: string, path: string, body?: unknown): Promise<HttpResult> =>
    http(`${contextUrls[host % 2]}/ws/v19/${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bearer}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  it(`${ROUNDS} rounds of ${CHATS} chats: one complete each, last, counters exact, no 5xx`, async () => {
    const answers = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const started = await Promise.all(Array.from({ length: CHATS }, (_, i) =>
        http(`${contextUrls[i % 2]}/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes`, {
          method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(startDocument(lm)),
        })));
      expect(started.map((r) => r.status)).toEqual(started.map(() => 200));
      const ids = started.map((r) => r.body.conversation.id as string);
      const chats: { conversation_id: string; agent_id: string; queue_id: string }[] = await waitFor(async () => {
        const rows = await stack.db.query("SELECT conversation_id, agent_id, queue_id FROM activity WHERE state = 'assigned' AND conversation_id IN (?)", [ids]);
        return rows.length === CHATS ? rows : undefined;
      }, 20000);

      await Promise.all(chats.flatMap((chat, k) => {
        const agent = agentTokens.get(String(chat.agent_id))!;
        const id = chat.conversation_id;
        const requests: [string, () => Promise<HttpResult>][] = [
          ['customer complete', () => call(k, token, 'clientapplications/messaging/sendmessage', { conversation: { id }, type: { value: 'complete' } })],
          ['agent complete', () => call(k + 1, agent, `agent/chats/${id}/complete`)],
          ['agent transfer', () => call(k, agent, `agent/chats/${id}/transfer`, { queue: { id: String(chat.queue_id) } })],
          ['customer text', () => call(k + 1, token, 'clientapplications/messaging/sendmessage', { conversation: { id }, type: { value: 'text/plain' }, content: 'Still there?' })],
          ['agent text', () => call(k, agent, 'agent/messaging/sendmessage', { conversation: { id }, type: { value: 'text/plain' }, content: 'One moment.' })],
        ];
        return (k % 2 ? requests.reverse() : requests).map(async ([what, send]) => {
          const res = await send();
          answers.add(`${what} ${res.status} ${res.status >= 300 ? res.body?.code : ''}`.trim());
        });
      }));

      // A chat transferred back to its queue may be assigned again and then ended by nobody: the customer ends it.
      for (const id of ids) await call(0, token, 'clientapplications/messaging/sendmessage', { conversation: { id }, type: { value: 'complete' } });
      const ends: { state: string; completes: string; last_is_complete: number }[] = await waitFor(async () => {
        const rows = await stack.db.query(
          `SELECT a.state, (SELECT COUNT(*) FROM message m WHERE m.conversation_id = a.conversation_id AND m.type = 'complete') AS completes,
                  (SELECT MAX(seq) FROM message m WHERE m.conversation_id = a.conversation_id)
                    = (SELECT MAX(seq) FROM message m WHERE m.conversation_id = a.conversation_id AND m.type = 'complete') AS last_is_complete
             FROM activity a WHERE a.conversation_id IN (?)`, [ids]);
        return rows.every((r: { state: string }) => r.state === 'completed') ? rows : undefined;
      }, 20000);
      expect(ends.filter((e) => Number(e.completes) !== 1 || Number(e.last_is_complete) !== 1)).toEqual([]);
      const ledger = await assignmentLedger(stack);
      expect(ledger.counterMismatch).toEqual([]);
    }
    const allowed = /^(customer complete|agent complete|agent transfer|customer text|agent text) (200|409 409-102|403 403-104)$/;
    expect([...answers].filter((a) => !allowed.test(a))).toEqual([]);
  });
});
