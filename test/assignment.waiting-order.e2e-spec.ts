import { activityOf, agentIdOf, startAnonymous, waitForActivity } from './support/assignment';
import { lockAgents, waitForBlockedClaims, waitForJobFinished } from './support/assignment-locks';
import { clientOf } from './support/client';
import { Stack } from './support/stack';

/**
 * A chat waiting in its queue for a free agent gets the next free slot of that queue before
 * a chat started after it: the first attempt of a new chat does not take a slot that an older
 * waiting chat of its queue could have.
 */
describe('waiting chats and new starts', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a slot freed before its drain ran goes to the oldest waiting chat, not to a new start', async () => {
    const [alice, bob] = [await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob')];
    await stack.db.query("UPDATE agent SET availability = 'not_available' WHERE id = ?", [bob]);
    await stack.db.query("UPDATE agent SET availability = 'available', max_chats = 1, active_chats = 0 WHERE id = ?", [alice]);
    const client = await clientOf(stack, '1001');

    // The older chat: its claim waits for Alice's row, which is then full when it gets it.
    const hold = await lockAgents(stack, [alice]);
    const older = await startAnonymous(stack, client);
    expect(older.status).toBe(200);
    await waitForBlockedClaims(stack, 1);
    await hold.runner.query('UPDATE agent SET active_chats = 1 WHERE id = ?', [alice]);
    await hold.finish(true);
    const olderActivity = await waitForActivity(stack, older.body.conversation.id, (a) => a.state === 'waiting');
    await waitForJobFinished(stack, 'assignment', `assign:${olderActivity.id}`);
    expect((await activityOf(stack, older.body.conversation.id)).state).toBe('waiting');

    // Alice's slot comes free without a drain having run yet (its job still behind, or lost
    // with a Redis that restarted empty), and a new chat starts meanwhile.
    await stack.db.query('UPDATE agent SET active_chats = 0 WHERE id = ?', [alice]);
    const newer = await startAnonymous(stack, client);
    expect(newer.status).toBe(200);
    const newerActivity = await waitForActivity(stack, newer.body.conversation.id, () => true);
    await waitForJobFinished(stack, 'assignment', `assign:${newerActivity.id}`);

    const [o, n] = [await activityOf(stack, older.body.conversation.id), await activityOf(stack, newer.body.conversation.id)];
    expect({ older: o.state, olderAgent: String(o.agent_id), newer: n.state }).toEqual({ older: 'assigned', olderAgent: alice, newer: 'waiting' });
    const [{ active_chats: load }] = await stack.db.query('SELECT active_chats FROM agent WHERE id = ?', [alice]);
    expect(Number(load)).toBe(1);
  });
});
