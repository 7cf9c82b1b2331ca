import { agentCall, agentLogin, eventsOf, startChat, waitForActivity, type ActivityRow, type AgentSession } from './support/assignment';
import { chatsLeftWaiting, waitForJobFinished } from './support/assignment-locks';
import { clientOf } from './support/client';
import { freePort } from './support/private-services';
import { Stack, waitFor, type RunningProcess } from './support/stack';

/**
 * A chat whose assignment keeps failing for a reason of its own (here a trigger of the test's
 * database that refuses to mark a chat with the subject "poison" assigned) costs only itself:
 * the other chats of its queue, older and newer, are assigned by their jobs, by a drain and by
 * the sweep, while it is left out for a while after each failure and assigned once it can be.
 * Queue 2 (carol alone); the first worker's sweep is slowed down, so that only the path under
 * test assigns, and a failed chat's back-off (one sweep period, doubling) is long there.
 */
const POISON = 'poison';

interface FailureRow extends ActivityRow {
  assignment_failures: number;
  due: number;
}

describe('a chat whose assignment keeps failing', () => {
  let stack: Stack;
  let carol: AgentSession;
  let client: { token: string; lm: string; entryPointId: string };

  beforeAll(async () => {
    stack = await Stack.start({ env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
    carol = await agentLogin(stack, 'carol');
    client = await clientOf(stack, '1002');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const setCarol = (sql: string) => stack.db.query(`UPDATE agent SET ${sql} WHERE id = ?`, [carol.userId]);

  const startWithSubject = (subject: string) => startChat(stack, client, { subject });

  async function failuresOf(conversationId: string): Promise<FailureRow> {
    const [row] = await stack.db.query(
      `SELECT id, state, agent_id, assignment_failures, assignment_retry_at > NOW(3) AS due FROM activity WHERE conversation_id = ?`,
      [conversationId],
    );
    return { ...row, assignment_failures: Number(row.assignment_failures), due: Number(row.due) };
  }

  /** Chats whose first attempt found carol full: they wait for an agent (waiting_since set). */
  const waitingChats = (subjects: string[]) =>
    chatsLeftWaiting(stack, [carol.userId], subjects.map((subject) => () => startWithSubject(subject)), (runner) =>
      runner.query('UPDATE agent SET max_chats = active_chats WHERE id = ?', [carol.userId]),
    );

  /** The job's return value as Bull keeps it. */
  async function jobResult(jobId: string): Promise<{ outcome?: string; failedReason: string | null }> {
    const key = `${stack.env.REDIS_PREFIX}:assignment:${jobId}`;
    const [returnvalue, failedReason] = await stack.redis.hmget(key, 'returnvalue', 'failedReason');
    return { ...(returnvalue ? JSON.parse(returnvalue) : {}), failedReason };
  }

  it('costs only itself: job path, drain and sweep go on with the others, and it is assigned once it can be', async () => {
    await setCarol("availability = 'available', max_chats = 3, active_chats = 0");
    const first = await startWithSubject('first');
    await waitForActivity(stack, first.conversationId, (a) => a.state === 'assigned');
    const [poisoned, older] = await waitingChats([POISON, 'older']);
    await stack.db.query(
      `CREATE TRIGGER poisoned_chat BEFORE UPDATE ON activity FOR EACH ROW
         IF NEW.state = 'assigned' AND NEW.subject = '${POISON}' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'this chat cannot be assigned'; END IF`,
    );

    // Job path: a new chat's first attempt serves the older waiting chats first; the oldest fails,
    // and the one after it and the new chat are assigned all the same.
    await setCarol('max_chats = 3');
    const newer = await startWithSubject('newer');
    await waitForJobFinished(stack, 'assignment', `assign:${newer.activityId}`);
    expect((await jobResult(`assign:${newer.activityId}`)).outcome).toBe('assigned');
    expect((await waitForActivity(stack, older.conversationId, () => true)).state).toBe('assigned');
    expect(await failuresOf(poisoned.conversationId)).toMatchObject({ state: 'waiting', assignment_failures: 1, due: 1 });
    const [{ correlation_id: poisonedCorrelation }] = await stack.db.query('SELECT correlation_id FROM conversation WHERE id = ?', [poisoned.conversationId]);
    // The worker's log reaches the test through a pipe, apart from what it writes to the database.
    const logged = await waitFor(async () => stack.workers[0].output.find((l) => l.includes('assignment of a chat failed') && l.includes(`"correlationId":"${poisonedCorrelation}"`)), 5000);
    expect(JSON.parse(logged!)).toMatchObject({ level: 50, activityId: poisoned.activityId, failures: 1, err: 'this chat cannot be assigned' });

    // The failing chat's own job: done, reporting the failure (not failed and retried by Bull at
    // once); a chat started after it is assigned.
    await setCarol('max_chats = 5');
    const ownJob = await startWithSubject(POISON);
    await waitForJobFinished(stack, 'assignment', `assign:${ownJob.activityId}`);
    expect(await jobResult(`assign:${ownJob.activityId}`)).toMatchObject({ outcome: 'failed', failedReason: null });
    expect(await failuresOf(ownJob.conversationId)).toMatchObject({ state: 'waiting', assignment_failures: 1 });
    const afterOwnJob = await startWithSubject('after own job');
    await waitForActivity(stack, afterOwnJob.conversationId, (a) => a.state === 'assigned');

    // Drain: carol full, a chat waits behind the failing one, whose back-off has run out
    // (moved forward here instead of waited for); the slot freed by a completion reaches it.
    const [behind] = await waitingChats(['behind']);
    await stack.db.query('UPDATE activity SET assignment_retry_at = NOW(3) WHERE id = ?', [poisoned.activityId]);
    expect((await agentCall(stack, carol.token, 'POST', `/chats/${first.conversationId}/complete`)).status).toBe(200);
    await waitForActivity(stack, behind.conversationId, (a) => a.state === 'assigned', 5000);
    expect(await failuresOf(poisoned.conversationId)).toMatchObject({ state: 'waiting', assignment_failures: 2, due: 1 });

    // Sweep: a worker sweeping every 300 ms goes past the failing chat, tries it again only after
    // its back-off, and assigns it once it can be assigned.
    await setCarol('max_chats = active_chats + 1');
    const [last] = await waitingChats(['last']);
    await stack.db.query('UPDATE activity SET assignment_retry_at = NOW(3) WHERE id = ?', [poisoned.activityId]);
    await setCarol('max_chats = active_chats + 2');
    const port = await freePort();
    const sweeper: RunningProcess = await stack.startWorker({ ASSIGNMENT_RETRY_INTERVAL_MS: '300', WORKER_HEALTH_PORT: String(port) });
    await waitForActivity(stack, last.conversationId, (a) => a.state === 'assigned', 5000);
    const swept = await waitFor(async () => {
      const row = await failuresOf(poisoned.conversationId);
      return row.assignment_failures >= 3 && row;
    }, 5000);
    expect(swept.state).toBe('waiting');
    // Back-off 1.2 s after the third failure: some six sweeps pass meanwhile without trying it again.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await failuresOf(poisoned.conversationId)).assignment_failures).toBeLessThanOrEqual(4);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(Number(/^assignment_failures_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    expect(sweeper.output.some((l) => l.includes('assignment of a chat failed') && l.includes(`"correlationId":"${poisonedCorrelation}"`))).toBe(true);

    await stack.db.query('DROP TRIGGER poisoned_chat');
    const assigned = await waitForActivity(stack, poisoned.conversationId, (a) => a.state === 'assigned', 15000);
    expect(String(assigned.agent_id)).toBe(carol.userId);
    expect((await eventsOf(stack, poisoned.conversationId)).map((e) => e.type)).toEqual(['assigned']);
    const [{ active_chats: load }] = await stack.db.query('SELECT active_chats FROM agent WHERE id = ?', [carol.userId]);
    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE agent_id = ? AND state = 'assigned'", [carol.userId]);
    expect(Number(load)).toBe(Number(n));
  });
});
