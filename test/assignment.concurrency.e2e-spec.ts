import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { addAgents, agentCall, agentIdOf, agentLogin, assignmentLedger, startAnonymous, type AgentSession } from './support/assignment';
import { startSampler } from './support/assignment-sampler';
import { clientOf } from './support/client';
import { Stack, waitFor } from './support/stack';

const STARTS = 500;
const START_CONCURRENCY = 12;
const LIMIT = 3;

/**
 * Four workers, five agents with three slots each, 500 starts in parallel while the
 * agents keep completing their chats through the agent API, so capacity is scarce and
 * keeps freeing. The periodic sweep is slowed down: every hand-over of a freed slot has
 * to come from the completion's drain.
 */
describe('assignment under concurrency', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 4, env: { ASSIGNMENT_RETRY_INTERVAL_MS: '600000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('never exceeds a limit, assigns every activity exactly once, leaves none waiting beside a free slot', async () => {
    await stack.db.query('UPDATE agent SET max_chats = ? WHERE id IN (?, ?)', [LIMIT, await agentIdOf(stack, 'alice'), await agentIdOf(stack, 'bob')]);
    await addAgents(stack, '1', ['dave', 'erin', 'frank'].map((username) => ({ username, maxChats: LIMIT })));
    const agents: AgentSession[] = await Promise.all(['alice', 'bob', 'dave', 'erin', 'frank'].map((u) => agentLogin(stack, u)));
    const client = await clientOf(stack, '1001');
    const sampler = startSampler(stack, 20);

    // Agents complete whatever they have, after a short random "conversation".
    let completing = true;
    let completions = 0;
    const completers = agents.map(async (agent) => {
      while (completing) {
        const mine = await agentCall(stack, agent.token, 'GET', '/chats');
        const chats: { conversation: { id: string } }[] = mine.body.chats.chat;
        if (chats.length === 0) {
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        for (const chat of chats) {
          await new Promise((r) => setTimeout(r, Math.random() * 15));
          const res = await agentCall(stack, agent.token, 'POST', `/chats/${chat.conversation.id}/complete`);
          if (res.status !== 200) throw new Error(`complete failed: ${res.status} ${res.text}`);
          completions++;
        }
      }
    });

    // Starts in parallel; a start refused because no agent has a free slot right now is retried.
    let accepted = 0;
    let refused = 0;
    const starters = Array.from({ length: START_CONCURRENCY }, async () => {
      while (accepted < STARTS) {
        accepted++;
        for (;;) {
          const res = await startAnonymous(stack, client);
          if (res.status === 200) break;
          expect(res.body.code).toBe(ERROR_CATALOGUE.NoAgentAvailable.code);
          refused++;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    });
    await Promise.all(starters);

    await waitFor(async () => {
      const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE state <> 'completed'");
      return Number(n) === 0;
    }, 60000, 100);
    completing = false;
    await Promise.all(completers);
    const report = await sampler.stop();

    const ledger = await assignmentLedger(stack);
    console.log(JSON.stringify({ accepted: ledger.activities, refused, completions, samples: report.samples, peak: report.peak, longestMissedHandOverMs: report.longestMissedHandOverMs }));
    expect(report.violations).toEqual([]);
    expect(report.samples).toBeGreaterThan(50);
    expect(Object.values(report.peak).filter((p) => p === LIMIT).length).toBeGreaterThan(0);
    expect(report.longestMissedHandOverMs).toBeLessThan(3000);
    expect(ledger.activities).toBe(STARTS);
    expect(ledger.byState).toEqual({ completed: STARTS });
    expect(ledger.duplicateAssigned).toEqual([]);
    expect(ledger.mismatchedAgent).toEqual([]);
    expect(ledger.counterMismatch).toEqual([]);
    const perConversation: { assigned: string; complete: string; last_is_complete: number }[] = await stack.db.query(
      `SELECT SUM(type = 'assigned') AS assigned, SUM(type = 'complete') AS complete,
              MAX(seq) = MAX(CASE WHEN type = 'complete' THEN seq END) AS last_is_complete
         FROM message GROUP BY conversation_id`,
    );
    expect(perConversation).toHaveLength(STARTS);
    expect(perConversation.filter((c) => Number(c.assigned) !== 1 || Number(c.complete) !== 1 || Number(c.last_is_complete) !== 1)).toEqual([]);
  }, 120000);
});
