import { ERROR_CATALOGUE, type ErrorKind } from '../../src/platform/errors/error-catalogue';
import { start, type HttpResult, type StartOptions } from './client';
import { type Stack, waitFor } from './stack';

/** The WSError fields a test checks: the body's own fields, JSON or XML alike. */
export function wsError(res: HttpResult): { code: string; developerMessage: string; userMessage: string; details?: string } {
  return res.body;
}

/** Status and code of an error kind, from the catalogue (tests never copy codes). */
export function expectError(res: HttpResult, kind: ErrorKind, details?: string): void {
  const { status, code } = ERROR_CATALOGUE[kind];
  if (res.status !== status || res.body?.code !== code) {
    throw new Error(`expected ${status} ${code} (${kind}), got ${res.status}: ${res.text.slice(0, 500)}`);
  }
  if (details !== undefined) expect(res.body.details).toBe(details);
}

/**
 * Waits (briefly) until the worker has assigned earlier starts, so that the row counts
 * around a refused request cannot move because of work still in flight.
 */
export async function settledRowCounts(stack: Stack): Promise<Record<string, number>> {
  await waitFor(async () => {
    const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE state = 'waiting'");
    return Number(n) === 0;
  }, 3000, 20).catch(() => undefined);
  return stack.rowCounts();
}

/** Runs a request that must be refused with `kind` and must leave every table as it was. */
export async function expectRefused(stack: Stack, request: () => Promise<HttpResult>, kind: ErrorKind, details?: string): Promise<HttpResult> {
  const before = await settledRowCounts(stack);
  const res = await request();
  expectError(res, kind, details);
  expect(await stack.rowCounts()).toEqual(before);
  return res;
}

/** A start that must be refused with `kind`, writing nothing. */
export function expectStartRefused(stack: Stack, doc: unknown, options: StartOptions, kind: ErrorKind, details?: string): Promise<HttpResult> {
  return expectRefused(stack, () => start(stack, doc, options), kind, details);
}

/** A start that must succeed; waits until the worker assigned it, so later row counts are stable. */
export async function startOk(stack: Stack, doc: unknown, options: StartOptions): Promise<{ conversation: any }> {
  const res = await start(stack, doc, options);
  if (res.status !== 200) throw new Error(`start failed: ${res.status} ${res.text.slice(0, 500)}`);
  const conversation = res.body.conversation ?? res.body;
  await waitFor(async () => {
    const [a] = await stack.db.query('SELECT state FROM activity WHERE conversation_id = ?', [conversation.id]);
    return a?.state !== 'waiting';
  }, 10000, 20);
  return { conversation };
}
