import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { adminLogin } from './support/admin';
import { addAgents, agentCall, agentLogin, startAnonymous, waitForActivity, type AgentSession } from './support/assignment';
import { clientOf, http } from './support/client';
import { Stack } from './support/stack';

const code = (kind: keyof typeof ERROR_CATALOGUE) => ERROR_CATALOGUE[kind].code;

/**
 * GET .../agent/transfertargets against the real api and worker: it lists exactly the targets
 * a transfer accepts at that moment. Every agent and every queue of the database is tried as a
 * target after the listing: each one listed is accepted, each one left out refused with the
 * transfer's own error. The periodic sweep is slowed down so that every assignment comes from an event.
 */
describe('agent API: transfer targets', () => {
  let stack: Stack;
  let alice: AgentSession;
  let bob: AgentSession;
  let carol: AgentSession;
  let frank: AgentSession;
  /** Open chats of alice's, each used by one transfer. */
  const chats: string[] = [];

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
    const sales = await clientOf(stack, '1001');
    // A queue no agent serves, in the second department: a chat transferred there waits.
    await stack.db.query("INSERT INTO chat_queue (id, department_id, name, strategy) VALUES (3, 2, 'Escalations', 'least_loaded')");
    // Agents a transfer refuses: not available, logged out, and (below) one at its limit.
    await addAgents(stack, '1', [{ username: 'dave', maxChats: 2, availability: 'not_available' }]);
    await addAgents(stack, '2', [{ username: 'erin', maxChats: 2, availability: 'logged_out' }, { username: 'frank', maxChats: 1, availability: 'logged_out' }]);
    [alice, bob, carol, frank] = await Promise.all(['alice', 'bob', 'carol', 'frank'].map((u) => agentLogin(stack, u)));
    expect((await agentCall(stack, frank.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);

    // Every start of the sales queue goes to alice while bob does not take chats.
    expect((await agentCall(stack, alice.token, 'PUT', '/chatlimit', { maxChats: 20 })).status).toBe(200);
    expect((await agentCall(stack, bob.token, 'PUT', '/availability', { availability: 'not_available' })).status).toBe(200);
    for (let i = 0; i < 12; i++) {
      const res = await startAnonymous(stack, sales);
      expect(res.status).toBe(200);
      const activity = await waitForActivity(stack, res.body.conversation.id, (a) => a.state === 'assigned');
      expect(String(activity.agent_id)).toBe(alice.userId);
      chats.push(res.body.conversation.id);
    }
    expect((await agentCall(stack, bob.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);

    // frank takes one chat by name and is then full; one chat waits in the queue nobody serves.
    expect((await agentCall(stack, alice.token, 'POST', `/chats/${chats.pop()}/transfer`, { agent: { id: frank.userId } })).status).toBe(200);
    expect((await agentCall(stack, alice.token, 'POST', `/chats/${chats.pop()}/transfer`, { queue: { id: '3' } })).status).toBe(200);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const targets = (session: AgentSession, headers: Record<string, string> = {}) =>
    http(`${stack.contextUrl}/ws/v19/agent/transfertargets`, { headers: { Authorization: `Bearer ${session.token}`, ...headers } });

  it('lists every queue with its department and waiting chats, and the other agents that are available with a free slot', async () => {
    const res = await targets(alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      transferTargets: {
        queues: {
          queue: [
            { id: '1', name: 'Sales chat', department: { id: '1', name: 'Sales' }, waitingChats: 0 },
            { id: '2', name: 'Support chat', department: { id: '2', name: 'Support' }, waitingChats: 0 },
            { id: '3', name: 'Escalations', department: { id: '2', name: 'Support' }, waitingChats: 1 },
          ],
        },
        agents: {
          agent: [
            { id: bob.userId, name: 'Bob Agent', availability: 'available', maxChats: 3, activeChats: 0, freeChats: 3 },
            { id: carol.userId, name: 'Carol Agent', availability: 'available', maxChats: 2, activeChats: 0, freeChats: 2 },
          ],
        },
      },
    });
    // Another agent's list has alice, not itself.
    const ofBob = await targets(bob);
    expect(ofBob.body.transferTargets.agents.agent.map((a: { id: string }) => a.id)).toEqual([alice.userId, carol.userId]);
  });

  it('answers in XML when asked: one transferTargets element, each queue and agent a repeated element', async () => {
    const json = (await targets(alice)).body.transferTargets;
    const res = await targets(alice, { Accept: 'application/xml' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/xml');
    expect(res.xmlRoot).toBe('transferTargets');
    expect(res.text).toContain('<queues><queue><id>1</id><name>Sales chat</name><department><id>1</id><name>Sales</name></department><waitingChats>');
    // XML carries every value as text; otherwise the same document as JSON.
    const asText = (items: Record<string, unknown>[]) => items.map((i) => JSON.parse(JSON.stringify(i, (_k, v) => (typeof v === 'number' ? String(v) : v))));
    expect(res.body.queues.queue).toEqual(asText(json.queues.queue));
    expect(res.body.agents.agent).toEqual(asText(json.agents.agent));
  });

  it('lists exactly the targets a transfer accepts: each one listed is accepted, each one left out refused with its error', async () => {
    const listed = (await targets(alice)).body.transferTargets;
    const listedAgents = new Set<string>(listed.agents.agent.map((a: { id: string }) => a.id));
    const listedQueues = new Set<string>(listed.queues.queue.map((q: { id: string }) => q.id));
    const sessionOf = new Map([bob, carol].map((s) => [s.userId, s]));
    const agentIds: string[] = (await stack.db.query('SELECT id FROM agent ORDER BY id')).map((r: { id: unknown }) => String(r.id));
    const queueIds: string[] = (await stack.db.query('SELECT id FROM chat_queue ORDER BY id')).map((r: { id: unknown }) => String(r.id));
    expect(agentIds).toHaveLength(6);

    for (const agentId of agentIds) {
      const chat = chats[chats.length - 1];
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { agent: { id: agentId } });
      if (listedAgents.has(agentId)) {
        expect([agentId, res.status]).toEqual([agentId, 200]);
        chats.pop();
        // The chat is the target's now; its completion gives the slot back, so the next tries see the state listed.
        expect((await agentCall(stack, sessionOf.get(agentId)!.token, 'POST', `/chats/${chat}/complete`)).status).toBe(200);
      } else {
        const expected = agentId === alice.userId ? [400, code('TransferTargetInvalid')] : [409, code('AgentUnavailable')];
        expect([agentId, res.status, res.body.code]).toEqual([agentId, ...expected]);
        expect(String((await waitForActivity(stack, chat, () => true)).agent_id)).toBe(alice.userId);
      }
    }
    for (const queueId of [...queueIds, '999']) {
      const chat = chats[chats.length - 1];
      const res = await agentCall(stack, alice.token, 'POST', `/chats/${chat}/transfer`, { queue: { id: queueId } });
      if (listedQueues.has(queueId)) {
        expect([queueId, res.status]).toEqual([queueId, 200]);
        chats.pop();
      } else {
        expect([queueId, res.status, res.body.code]).toEqual([queueId, 404, code('ResourceNotFound')]);
      }
    }
    expect([...listedAgents].sort()).toEqual([bob.userId, carol.userId].sort());
    expect([...listedQueues]).toEqual(queueIds);
  });

  it('follows the agents as they change: one that stops taking chats leaves the list and the transfer refuses it', async () => {
    const agentIdsListed = async () => (await targets(alice)).body.transferTargets.agents.agent.map((a: { id: string }) => a.id);
    expect(await agentIdsListed()).toContain(carol.userId);
    expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'not_available' })).status).toBe(200);
    try {
      expect(await agentIdsListed()).not.toContain(carol.userId);
      const refused = await agentCall(stack, alice.token, 'POST', `/chats/${chats[chats.length - 1]}/transfer`, { agent: { id: carol.userId } });
      expect([refused.status, refused.body.code]).toEqual([409, code('AgentUnavailable')]);
    } finally {
      expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
    }
    expect(await agentIdsListed()).toContain(carol.userId);
  });

  it('refuses a request without an agent session: none, a client application token, an administrator token', async () => {
    const url = `${stack.contextUrl}/ws/v19/agent/transfertargets`;
    const none = await http(url);
    expect([none.status, none.body.code]).toEqual([401, code('AuthorizationMissing')]);
    const client = await clientOf(stack, '1001');
    const admin = await adminLogin(stack);
    for (const token of [client.token, admin]) {
      const res = await http(url, { headers: { Authorization: `Bearer ${token}` } });
      expect([res.status, res.body.code]).toEqual([401, code('NotAgentSession')]);
      expect(res.text).not.toContain('transferTargets');
    }
  });
});
