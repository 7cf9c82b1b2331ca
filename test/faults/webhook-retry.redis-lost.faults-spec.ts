import { execFileSync } from 'node:child_process';
import { startAnonymous } from '../support/assignment';
import { clientOf } from '../support/client';
import { receiveCallbacks } from '../support/messaging';
import { PrivateRedis } from '../support/private-services';
import { Stack, waitFor } from '../support/stack';
import type { WebhookReceiver } from '../support/webhook-receiver';

/**
 * A webhook retry waits in Redis as a delayed Bull job. A Redis that keeps nothing on disk loses
 * it when restarted, and FLUSHALL loses it with the clients still connected: the retry time kept
 * in MySQL (webhook_dispatch.retry_at) lets the delivery sweep wake the delivery once it is due.
 */
describe('a scheduled webhook retry lost with Redis', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    redis = new PrivateRedis();
    await redis.start();
    stack = await Stack.start({
      agentCapacity: 100,
      env: { REDIS_PORT: String(redis.port), WEBHOOK_RETRY_BASE_MS: '3000', WEBHOOK_RETRY_MAX_MS: '3000', WEBHOOK_SWEEP_INTERVAL_MS: '500' },
    });
    receiver = await receiveCallbacks(stack);
  });

  afterAll(async () => {
    await redis?.start();
    await stack?.stop();
    await receiver?.stop();
    await redis?.destroy();
  });

  const loseRedis: Record<string, () => Promise<void>> = {
    'restarted empty': async () => {
      await redis.kill();
      await redis.start();
    },
    'flushed (FLUSHALL), clients connected': async () => {
      execFileSync('redis-cli', ['-p', String(redis.port), 'FLUSHALL']);
    },
  };

  it.each(Object.keys(loseRedis))('is delivered once due when Redis is %s', async (how) => {
    const client = await clientOf(stack, '1001');
    receiver.plan.push({ status: 503 });
    const failedBefore = receiver.callbacks.length;
    const res = await startAnonymous(stack, client);
    expect(res.status).toBe(200);
    const conversationId = res.body.conversation.id as string;
    // The 503 is answered and the retry scheduled (1.5–3 s away, in Redis and in MySQL).
    await waitFor(async () => receiver.callbacks.length > failedBefore && (await stack.db.query('SELECT 1 FROM webhook_dispatch WHERE retry_at > NOW(3)')).length > 0, 15000, 20);
    expect(receiver.delivered(conversationId)).toEqual([]);
    await loseRedis[how]();

    const delivered = await receiver.waitFor(() => receiver.delivered(conversationId).length > 0 && receiver.delivered(conversationId), 15000);
    expect(delivered.map((m) => m.type.value)).toEqual(['assigned']);
    await waitFor(async () => Number((await stack.db.query("SELECT COUNT(*) AS n FROM webhook_delivery WHERE state = 'pending'"))[0].n) === 0, 10000);
    for (const p of [stack.api, ...stack.workers]) expect(p.child.exitCode).toBeNull();
  });
});
