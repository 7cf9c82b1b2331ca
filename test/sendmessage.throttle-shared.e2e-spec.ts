import { type Answer, loggingPids, postOnNewConnection, startTwoProcessStack } from './support/api-hosts';
import { startChat } from './support/assignment';
import { clientOf } from './support/client';
import { message } from './support/messaging';
import type { Stack } from './support/stack';

const PER_CONVERSATION = 3;
const WINDOW_MS = 60000;

/**
 * sendmessage's throttle counts in the start throttle's store: with API_PROCESSES > 1, in Redis
 * by default, so two api processes grant a conversation its messages once together.
 */
describe('sendmessage throttling across api processes', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startTwoProcessStack({
      agentCapacity: 100,
      env: {
        SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION: String(PER_CONVERSATION),
        SENDMESSAGE_THROTTLE_WINDOW_MS: String(WINDOW_MS),
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("one conversation's messages count together, whichever process answers them", async () => {
    const client = await clientOf(stack);
    const { conversationId } = await startChat(stack, client);
    const url = `${stack.baseUrl}/system/ws/v19/clientapplications/messaging/sendmessage`;
    const headers = { Authorization: `Bearer ${client.token}`, 'Content-Type': 'application/json' };
    const answers: Answer[] = [];
    for (let i = 0; i < 2 * PER_CONVERSATION; i++) answers.push(await postOnNewConnection(url, headers, JSON.stringify(message(conversationId, 'text/plain', `message ${i}`))));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429, 429]);
    for (const refused of answers.slice(PER_CONVERSATION)) {
      expect(refused.code).toBe('429-101');
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(WINDOW_MS / 1000);
    }
    // Both processes refused: in-process counters would each have been below the limit.
    const refusing = loggingPids(stack.api, (entry) => entry.msg === 'rate limit reached' && entry.limit === 'sendmessage-per-conversation' && typeof entry.key === 'string' && entry.key.includes(conversationId));
    expect(refusing.size).toBe(2);
    expect(await stack.redis.keys(`${stack.env.REDIS_PREFIX}:rate-limit:sendmessage-per-conversation:*`)).toHaveLength(1);
  });
});
