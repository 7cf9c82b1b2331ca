import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { clientOf, start, startDocument } from './client';
import type { Stack } from './stack';

/** A process's resident memory, in MiB. */
export function residentMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(/(\d+)/.exec(line)![1]) / 1024;
}

/** How long /health/live takes to answer, in ms (Infinity past 2 s). */
export async function liveAnswerMs(baseUrl: string): Promise<number> {
  const since = Date.now();
  const res = await fetch(`${baseUrl}/health/live`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
  return res?.status === 200 ? Date.now() - since : Infinity;
}

/**
 * The api's setting that lets a transcript page be as large as longTranscript's (its text is
 * otherwise held to TRANSCRIPT_PAGE_MAX_BYTES, 1 MiB by default): for the tests of answers larger
 * than a connection's kernel buffers take.
 */
export const LARGE_TRANSCRIPT_PAGES = { TRANSCRIPT_PAGE_MAX_BYTES: String(64 * 1024 * 1024) };

/**
 * A conversation whose transcript page is large (under LARGE_TRANSCRIPT_PAGES): `messages` customer messages of 10,000 "é"
 * (20 KB each), written straight to the table. Answers the page's path and the client's token.
 */
export async function longTranscript(stack: Stack, messages: number): Promise<{ path: string; token: string }> {
  const { token, lm } = await clientOf(stack);
  const started = await start(stack, startDocument(lm, { subject: 'long transcript' }), { token, query: 'anonymousCustomer=yes' });
  if (started.status !== 200) throw new Error(`start answered ${started.status}`);
  const id = started.body.conversation.id as string;
  await stack.db.query(
    `INSERT INTO message (id, conversation_id, sender_type, type, content, created_at)
     SELECT UUID(), ?, 'customer', 'text', REPEAT('é', 10000), NOW(3) FROM seq_1_to_${Number(messages)}`,
    [id],
  );
  return { path: `/system/ws/v19/clientapplications/messaging/conversation/${id}?limit=1000`, token };
}

/** A raw connection to the api, open, its errors ignored (the tests close or break it on purpose). */
export async function openConnection(stack: Stack): Promise<Socket> {
  const { hostname, port } = new URL(stack.baseUrl);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return socket;
}
