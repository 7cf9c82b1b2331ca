import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { agentCall, agentIdOf, agentLogin, startAnonymous, waitForActivity, type AgentSession } from './support/assignment';
import { lockAgents, waitForBlockedClaims, waitForJobFinished } from './support/assignment-locks';
import { clientOf } from './support/client';
import { Stack } from './support/stack';

/**
 * Capacity an administrator opens (an agent made available, a higher maxChats, a queue
 * added to an agent, a new agent made available once it logged in) reaches the chats already waiting at once, as
 * the agent's own routes do. The periodic sweep runs every ten minutes here, so an
 * assignment within seconds can only come from the change itself.
 */
describe('administration: capacity opened for waiting chats', () => {
  const ASSIGNED_WITHIN_MS = 3000;
  let stack: Stack;
  let admin: AdminApi;
  let support: Awaited<ReturnType<typeof clientOf>>;
  let carol: AgentSession;
  let aliceId: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
    admin = adminApi(stack, await adminLogin(stack));
    support = await clientOf(stack, '1002');
    carol = await agentLogin(stack, 'carol');
    aliceId = await agentIdOf(stack, 'alice');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * Starts `count` chats on queue 2, which carol alone serves, and makes them wait: their
   * claims wait for carol's row, which the test holds while `makeUnfit` makes carol unable
   * to take them (the start API only accepts a start when an agent looks free).
   */
  async function waitingChats(count: number, makeUnfit: string): Promise<string[]> {
    const lock = await lockAgents(stack, [carol.userId]);
    const chats: string[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const res = await startAnonymous(stack, support);
        expect(res.status).toBe(200);
        chats.push(res.body.conversation.id);
      }
      await waitForBlockedClaims(stack, 1);
      await lock.runner.query(makeUnfit, [carol.userId]);
      await lock.finish(true);
      for (const chat of chats) {
        const activity = await waitForActivity(stack, chat, () => true);
        await waitForJobFinished(stack, 'assignment', `assign:${activity.id}`);
      }
    } catch (err) {
      await lock.finish(false).catch(() => undefined);
      throw err;
    }
    // Nothing else would assign them: no event, and the sweep is minutes away.
    await new Promise((r) => setTimeout(r, 300));
    for (const chat of chats) expect((await waitForActivity(stack, chat, () => true)).state).toBe('waiting');
    return chats;
  }

  async function expectAssignedAtOnce(chats: string[], agentId: string): Promise<void> {
    for (const chat of chats) {
      const activity = await waitForActivity(stack, chat, (a) => a.state === 'assigned', ASSIGNED_WITHIN_MS);
      expect(String(activity.agent_id)).toBe(agentId);
    }
  }

  async function complete(token: string, chats: string[]): Promise<void> {
    for (const chat of chats) expect((await agentCall(stack, token, 'POST', `/chats/${chat}/complete`)).status).toBe(200);
  }

  const drainRequests = async (queueId: string): Promise<number> =>
    Number((await stack.db.query('SELECT COUNT(*) AS n FROM outbox WHERE job_id LIKE ?', [`drain-queue:${queueId}:%`]))[0].n);

  it('making an agent available assigns the chats waiting in its queues; a change that opens nothing asks for no drain', async () => {
    const chats = await waitingChats(2, "UPDATE agent SET availability = 'not_available' WHERE id = ?");
    const drainsBefore = await drainRequests('2');
    const unchanged = await admin('PATCH', `agents/${carol.userId}`, { body: { maxChats: 3, displayName: 'Carol' } });
    expect([unchanged.status, unchanged.body.agent.availability]).toEqual([200, 'not_available']);
    expect(await drainRequests('2')).toBe(drainsBefore);

    const res = await admin('PATCH', `agents/${carol.userId}`, { body: { availability: 'available' } });
    expect(res.status).toBe(200);
    await expectAssignedAtOnce(chats, carol.userId);
    await complete(carol.token, chats);
  });

  it('raising maxChats assigns the chats that waited for a slot', async () => {
    const chats = await waitingChats(2, 'UPDATE agent SET max_chats = active_chats WHERE id = ?');
    const res = await admin('PATCH', `agents/${carol.userId}`, { body: { maxChats: 2 } });
    expect([res.status, res.body.agent.maxChats]).toEqual([200, 2]);
    await expectAssignedAtOnce(chats, carol.userId);
    await complete(carol.token, chats);
  });

  it('adding a queue to an agent with free slots assigns the chats waiting in that queue', async () => {
    const chats = await waitingChats(2, "UPDATE agent SET availability = 'not_available' WHERE id = ?");
    const res = await admin('PATCH', `agents/${aliceId}`, { body: { queueIds: ['1', '2'] } });
    expect([res.status, res.body.agent.queueIds]).toEqual([200, ['1', '2']]);
    await expectAssignedAtOnce(chats, aliceId);
    await complete((await agentLogin(stack, 'alice')).token, chats);
    expect((await admin('PATCH', `agents/${aliceId}`, { body: { queueIds: ['1'] } })).status).toBe(200);
    expect((await admin('PATCH', `agents/${carol.userId}`, { body: { availability: 'available' } })).status).toBe(200);
  });

  it('an agent taken out of a queue while a claim waited for its row is not given that queue\'s chat; put back, it is', async () => {
    // The test's transaction holds carol's row while it changes her queues, as an administrator's change does.
    const chats = await waitingChats(1, 'DELETE FROM agent_queue WHERE agent_id = ? AND queue_id = 2');
    const [{ active_chats: activeChats }] = await stack.db.query('SELECT active_chats FROM agent WHERE id = ?', [carol.userId]);
    expect(Number(activeChats)).toBe(0);
    const res = await admin('PATCH', `agents/${carol.userId}`, { body: { queueIds: ['2'] } });
    expect([res.status, res.body.agent.queueIds]).toEqual([200, ['2']]);
    await expectAssignedAtOnce(chats, carol.userId);
    await complete(carol.token, chats);
  });

  it('a new agent takes the chats waiting in its queues once it logs in and is made available, not before', async () => {
    const chats = await waitingChats(2, "UPDATE agent SET availability = 'not_available' WHERE id = ?");
    const erin = { username: 'erin', password: 'erin-password-1', displayName: 'Erin', maxChats: 2, queueIds: ['2'] };
    const refused = await admin('POST', 'agents', { body: { ...erin, availability: 'available' } });
    expect([refused.status, refused.body.code]).toEqual([409, '409-122']);
    const res = await admin('POST', 'agents', { body: erin });
    expect([res.status, res.body.agent.availability]).toEqual([201, 'logged_out']);
    await agentLogin(stack, 'erin', 'erin-password-1');
    expect((await admin('PATCH', `agents/${res.body.agent.id}`, { body: { availability: 'available' } })).status).toBe(200);
    await expectAssignedAtOnce(chats, res.body.agent.id);
  });
});
