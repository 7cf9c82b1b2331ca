import { start, startDocument } from './client';
import { type Stack, waitFor } from './stack';
import type { ReceivedCallback, WebhookReceiver } from './webhook-receiver';

/** A callback's signature headers, as a receiver hands them to standardwebhooks' verify. */
export function signatureHeaders(c: ReceivedCallback): Record<string, string> {
  return { 'webhook-id': String(c.headers['webhook-id']), 'webhook-timestamp': String(c.headers['webhook-timestamp']), 'webhook-signature': String(c.headers['webhook-signature']) };
}

/** An anonymous chat, once the receiver has had its first callback (`assigned`): the conversation and its agent. */
export async function startAssignedChat(stack: Stack, receiver: WebhookReceiver, token: string, lastModified: string): Promise<{ conversationId: string; agentId: string }> {
  const res = await start(stack, startDocument(lastModified), { token, query: 'anonymousCustomer=yes' });
  if (res.status !== 200) throw new Error(`start failed: ${res.status} ${res.text}`);
  const conversationId: string = res.body.conversation.id;
  const [assigned] = await receiver.waitFor(() => {
    const found = receiver.delivered(conversationId);
    return found.length > 0 && found;
  });
  return { conversationId, agentId: assigned.sender.user.id };
}

/** A conversation's delivery bookkeeping, once none of its events is pending any more. */
export function settledDeliveryRows(stack: Stack, conversationId: string): Promise<{ type: string; state: string; attempts: number }[]> {
  return waitFor(async () => {
    const rows = await stack.db.query('SELECT type, state, attempts FROM webhook_delivery WHERE conversation_id = ? ORDER BY seq', [conversationId]);
    return rows.every((r: { state: string }) => r.state !== 'pending') && rows;
  });
}
