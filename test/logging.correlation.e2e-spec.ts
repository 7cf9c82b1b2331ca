import { randomBytes } from 'node:crypto';
import { agentCall, agentLogin, waitForActivity } from './support/assignment';
import { clientOf, http, lastModified, login, start, startDocument } from './support/client';
import { Stack, waitFor, waitForOutput, type RunningProcess } from './support/stack';

/** The JSON lines a process wrote whose `msg` is the one given. */
function lines(process: RunningProcess, msg: string): Record<string, any>[] {
  return process.output
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, any>)
    .filter((l) => l.msg === msg);
}

const requestId = () => `corr-${randomBytes(6).toString('hex')}`;

/**
 * One correlation id from the client's X-Request-Id through the api's lines to the worker's
 * (docs/operations.md), at info, where pino-http writes request lines, and above it, where
 * the api runs without pino-http's request middleware.
 */
describe('logs: one correlation id per request, across api and worker', () => {
  describe('at info', () => {
    let stack: Stack;

    beforeAll(async () => {
      // A short maximum wait, for the chat left waiting until it ends (the sweep, every 5 s, ends it).
      stack = await Stack.start({ env: { LOG_LEVEL: 'info', ASSIGNMENT_MAX_WAIT_SECONDS: '2' } });
    });
    afterAll(async () => stack?.stop());

    it('writes only JSON lines from start-up on: no coloured line of Nest\'s default logger', async () => {
      await waitForOutput(stack.api, /"msg":"Nest application successfully started"/);
      const output = [...stack.api.output, ...stack.workers.flatMap((w) => w.output)].join('\n');
      // pino escapes control characters inside its JSON strings: a raw ESC is a line of another logger.
      expect(output).not.toContain('\u001b[');
      expect(output).not.toContain('No resolvers provided');
    });

    it('writes the request line and the assignment line under the X-Request-Id', async () => {
      const token = await login(stack);
      const id = requestId();
      const res = await start(stack, startDocument(await lastModified(stack, token)), { token, query: 'anonymousCustomer=yes', headers: { 'X-Request-Id': id } });
      expect([res.status, res.headers.get('x-request-id')]).toEqual([200, id]);

      const completed = await waitFor(async () => lines(stack.api, 'request completed').find((l) => l.correlationId === id));
      expect(completed.req).toEqual({ id, method: 'POST', url: expect.stringContaining('/messaging/conversation/start') });
      expect(completed.res.statusCode).toBe(200);

      const assigned = await waitFor(async () => stack.workers.flatMap((w) => lines(w, 'assignment job done')).find((l) => l.correlationId === id));
      expect(assigned).toMatchObject({ outcome: 'assigned', conversationId: res.body.conversation.id });
    });

    /** A chat of queue 2 (carol alone) started under `id`, assigned to carol, then handed back to the queue while she is not available: waiting. */
    async function waitingChat(id: string): Promise<{ conversationId: string; carol: { userId: string; token: string } }> {
      const carol = await agentLogin(stack, 'carol');
      expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'available' })).status).toBe(200);
      const client = await clientOf(stack, '1002');
      const res = await start(stack, startDocument(client.lm, undefined, '1002'), { token: client.token, query: 'anonymousCustomer=yes', headers: { 'X-Request-Id': id } });
      expect(res.status).toBe(200);
      const conversationId = res.body.conversation.id as string;
      await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
      expect((await agentCall(stack, carol.token, 'PUT', '/availability', { availability: 'not_available' })).status).toBe(200);
      expect((await agentCall(stack, carol.token, 'POST', `/chats/${conversationId}/transfer`, { queue: { id: '2' } })).status).toBe(200);
      return { conversationId, carol };
    }

    it('writes the assignment of a chat that waited under the id of its start, not of the request that freed the slot', async () => {
      const id = requestId();
      const { conversationId, carol } = await waitingChat(id);
      const freed = requestId();
      const available = await http(`${stack.contextUrl}/ws/v19/agent/availability`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${carol.token}`, 'Content-Type': 'application/json', 'X-Request-Id': freed },
        body: JSON.stringify({ availability: 'available' }),
      });
      expect(available.status).toBe(200);
      await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
      const line = await waitFor(async () => stack.workers.flatMap((w) => lines(w, 'waiting activity assigned')).find((l) => l.conversationId === conversationId));
      expect(line).toMatchObject({ correlationId: id, agentId: carol.userId, queueId: '2' });
      // The drain the request asked for keeps the request's id (the sweep may have taken the chat first).
      const drain = await waitFor(async () => stack.workers.flatMap((w) => lines(w, 'drain job done')).find((l) => l.correlationId === freed));
      expect(drain.queueId).toBe('2');
    });

    it('writes the end of a wait at the maximum wait under the id of its start', async () => {
      const id = requestId();
      const { conversationId } = await waitingChat(id);
      await waitForActivity(stack, conversationId, (a) => a.state === 'unassigned', 15000);
      const line = await waitFor(async () => stack.workers.flatMap((w) => lines(w, 'waiting activity unassigned: maximum wait reached')).find((l) => l.conversationId === conversationId));
      expect(line).toMatchObject({ correlationId: id, queueId: '2' });
    });
  });

  describe('above info', () => {
    let stack: Stack;

    beforeAll(async () => {
      stack = await Stack.start({ env: { LOG_LEVEL: 'warn' } });
    });
    afterAll(async () => stack?.stop());

    it('writes no request lines, and a warning inside a request carries its X-Request-Id', async () => {
      const id = requestId();
      const refused = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${stack.credentials.chatClientKey}:wrong-secret`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Request-Id': id,
        },
        body: 'grant_type=client_credentials',
      });
      expect(refused.status).toBe(401);

      const warning = await waitFor(async () => lines(stack.api, 'client application login refused').find((l) => l.correlationId === id));
      expect(warning.level).toBe(40);
      expect(lines(stack.api, 'request completed')).toEqual([]);
    });

    it('starts without a warning: an operator reading warnings sees only what went wrong', () => {
      const warnings = stack.api.output.filter((line) => /"level":40/.test(line) && !/client application login refused/.test(line));
      expect(warnings).toEqual([]);
    });
  });
});
