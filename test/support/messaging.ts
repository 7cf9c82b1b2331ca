import { hashSecret } from '../../src/platform/security/secret-hasher';
import { http, type HttpResult } from './client';
import type { Stack } from './stack';
import { WebhookReceiver } from './webhook-receiver';

/** Helpers for the conversation after its start: administration, agents, sendmessage. */
export async function adminLogin(stack: Stack): Promise<string> {
  return userLogin(stack, 'administration', stack.credentials.adminUsername, stack.credentials.adminPassword);
}

export async function agentLogin(stack: Stack, agentId: string): Promise<string> {
  const [user] = await stack.db.query('SELECT username FROM user_account WHERE id = ?', [agentId]);
  return userLogin(stack, 'agent', user.username, stack.credentials.agentPassword);
}

async function userLogin(stack: Stack, kind: 'agent' | 'administration', username: string, password: string): Promise<string> {
  const res = await http(`${stack.contextUrl}/ws/v19/${kind}/authentication/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`${kind} login failed: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

export async function applicationId(stack: Stack, clientKey = stack.credentials.chatClientKey): Promise<string> {
  const [row] = await stack.db.query('SELECT id FROM client_application WHERE client_id = ?', [clientKey]);
  return String(row.id);
}

/** PUT the callback settings of an application as an administrator. */
export function putCallback(stack: Stack, adminToken: string, appId: string, settings: Record<string, unknown>): Promise<HttpResult> {
  return http(`${stack.contextUrl}/ws/v19/administration/clientapplications/${appId}/callback`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
}

/**
 * A receiver on 127.0.0.1 set as the demo chat application's callback URL (JSON): the events
 * of its conversations are then queued for delivery (without a URL nothing is queued).
 */
export async function receiveCallbacks(stack: Stack): Promise<WebhookReceiver> {
  const receiver = await WebhookReceiver.start();
  const res = await putCallback(stack, await adminLogin(stack), await applicationId(stack), { url: receiver.url(), format: 'json' });
  if (res.status !== 200) {
    await receiver.stop();
    throw new Error(`setting the callback URL answered ${res.status}: ${res.text}`);
  }
  return receiver;
}

export function sendMessage(stack: Stack, token: string, doc: Record<string, unknown>, side: 'clientapplications' | 'agent' = 'clientapplications'): Promise<HttpResult> {
  return http(`${stack.contextUrl}/ws/v19/${side}/messaging/sendmessage`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(doc),
  });
}

export function message(conversationId: string, type: string, content?: string): Record<string, unknown> {
  return { conversation: { id: conversationId }, type: { value: type }, ...(content !== undefined ? { content } : {}) };
}

export function getConversation(stack: Stack, token: string, conversationId: string, accept = 'application/json'): Promise<HttpResult> {
  return http(`${stack.clientApiUrl}/messaging/conversation/${conversationId}`, { headers: { Authorization: `Bearer ${token}`, Accept: accept } });
}

/** A second chat application on the demo entry points, for isolation tests. */
export async function addChatApplication(stack: Stack, clientKey: string, secret: string): Promise<string> {
  const inserted = await stack.db.query("INSERT INTO client_application (name, type, client_id, secret_hash) VALUES (?, 'chat', ?, ?)", [clientKey, clientKey, await hashSecret(secret)]);
  for (const ep of stack.credentials.entryPointIds) {
    await stack.db.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, ?)', [inserted.insertId, ep]);
  }
  return String(inserted.insertId);
}
