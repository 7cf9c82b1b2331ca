import { lastModified, login, start, startDocument } from './support/client';
import { agentLogin, message, receiveCallbacks, sendMessage } from './support/messaging';
import { Stack, waitFor } from './support/stack';
import type { WebhookReceiver } from './support/webhook-receiver';

const EVENTS = 30;
const RECEIVER_DELAY_MS = 1000;

/**
 * An anonymous chat whose agent has sent `events` messages (m1, m2, …), once the receiver has
 * had the first two callbacks: the rest of the backlog is still being delivered.
 */
async function agentBacklog(stack: Stack, receiver: WebhookReceiver, events: number): Promise<string> {
  const token = await login(stack);
  const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes' });
  expect(res.status).toBe(200);
  const conversationId = res.body.conversation.id as string;
  const agentId = await waitFor(async () => (await stack.db.query("SELECT agent_id FROM activity WHERE conversation_id = ? AND state = 'assigned'", [conversationId]))[0]?.agent_id);
  const agentToken = await agentLogin(stack, String(agentId));
  for (let i = 1; i <= events; i++) expect((await sendMessage(stack, agentToken, message(conversationId, 'text/plain', `m${i}`), 'agent')).status).toBe(200);
  await receiver.waitFor(() => receiver.callbacks.length >= 2);
  return conversationId;
}

/**
 * SIGTERM to a worker that is delivering a long backlog to a slow receiver: it ends the
 * delivery after the request in flight instead of sending the whole backlog first, exits 0
 * within seconds, and the next worker delivers the rest, in order, nothing lost.
 */
describe('webhook delivery and a worker stopped with SIGTERM', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // One event per POST and a receiver that takes a second for each: the backlog takes
    // longer to deliver than the worker's 25 s bound on its shutdown.
    stack = await Stack.start({ env: { WEBHOOK_MAX_BATCH: '1', WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_SWEEP_INTERVAL_MS: '200' } });
    receiver = await receiveCallbacks(stack);
    receiver.defaultAnswer = { status: 200, delayMs: RECEIVER_DELAY_MS };
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('stops after the callback in flight, exits 0 within seconds, and the next worker delivers the rest in order', async () => {
    const conversationId = await agentBacklog(stack, receiver, EVENTS);
    // The worker is sending one event a second; most of the backlog is still pending.

    const worker = stack.workers[0];
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    const signalledAt = Date.now();
    worker.child.kill('SIGTERM');
    const code = await exited;
    const stopMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    // The callback in flight (up to a second) and the rest of the shutdown; not the backlog.
    expect(stopMs).toBeLessThan(10000);
    const sentByFirst = receiver.callbacks.length;
    expect(sentByFirst).toBeLessThan(EVENTS);

    receiver.defaultAnswer = { status: 200 };
    await stack.startWorker();
    await receiver.waitFor(() => new Set(receiver.delivered(conversationId).map((m) => m.id)).size === EVENTS + 1, 30000);
    const firsts = [...new Map(receiver.delivered(conversationId).map((m) => [m.id, m])).values()];
    expect(firsts.map((m) => (m.type.value === 'assigned' ? 'assigned' : m.content))).toEqual(['assigned', ...Array.from({ length: EVENTS }, (_, i) => `m${i + 1}`)]);
    // The receiver records a callback when it arrives, before the worker has read the answer
    // and marked the event delivered: the last one settles a moment later.
    const pending = async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE state = 'pending'"))[0].n);
    await waitFor(async () => (await pending()) === 0).catch(() => undefined);
    expect(await pending()).toBe(0);
  }, 90000);
});

/**
 * The worker's sweep of idle deliveries stops with its queues: a worker stopped while an
 * application's events wait (here it is the only worker, so they wait for the next one) does
 * not go on waking their delivery through its closed queues.
 */
describe('the delivery sweep of a worker stopped with SIGTERM', () => {
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    stack = await Stack.start({ env: { LOG_LEVEL: 'info', WEBHOOK_MAX_BATCH: '1', WEBHOOK_SWEEP_INTERVAL_MS: '50' } });
    receiver = await receiveCallbacks(stack);
    receiver.defaultAnswer = { status: 200, delayMs: 300 };
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  it('sweeps no more once its queues are closed: no failed sweep, no wake-up', async () => {
    const conversationId = await agentBacklog(stack, receiver, 10);

    const worker = stack.workers[0];
    const exited = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Events were left for the next worker: the sweep had something to wake had it still run.
    expect(Number((await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE state = 'pending'"))[0].n)).toBeGreaterThan(0);
    const closed = worker.output.findIndex((l) => l.includes('"queues closed; jobs in progress finished"'));
    expect(closed).toBeGreaterThan(-1);
    expect(worker.output.filter((l) => l.includes('"sweep failed; retrying"'))).toEqual([]);
    expect(worker.output.slice(closed).filter((l) => l.includes('"woke idle deliveries"'))).toEqual([]);
  }, 60000);
});
