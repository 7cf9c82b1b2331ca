import { randomBytes } from 'node:crypto';
import { agentCall, agentLogin, waitForActivity } from './support/assignment';
import { clientOf, http, lastModified, login, start, startDocument } from './support/client';
import { agentLogin as agentToken, message, receiveCallbacks } from './support/messaging';
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

    it('starts without a warning at info too: every route and middleware path is one Express 5 reads as written', async () => {
      await waitForOutput(stack.api, /"msg":"Nest application successfully started"/);
      const warnings = stack.api.output.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((l) => l.level >= 40);
      expect(warnings.map((l) => `${l.context}: ${l.msg}`)).toEqual([]);
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

    it('writes no request line for probes and scrapes, and answers an X-Request-Id that is not sane under a fresh UUID', async () => {
      const probes = ['/health/live', '/health/ready', '/metrics'];
      for (const path of probes) expect((await http(`${stack.baseUrl}${path}`)).status).toBeLessThan(600);
      // A request logged after them: its line is written after any line of theirs would have been.
      const after = requestId();
      expect((await http(`${stack.contextUrl}/no/such/route`, { headers: { 'X-Request-Id': after } })).status).toBe(404);
      await waitFor(async () => lines(stack.api, 'request completed').find((l) => l.correlationId === after));
      expect(lines(stack.api, 'request completed').filter((l) => probes.includes(l.req?.url))).toEqual([]);

      // Too long, a space, a character outside A-Za-z0-9._:- : written into every line, it could forge or break them.
      for (const insane of ['x'.repeat(65), 'two words', 'a/b', 'id"}']) {
        const res = await http(`${stack.contextUrl}/no/such/route`, { headers: { 'X-Request-Id': insane } });
        expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
      const longest = 'A-z0.9_:'.repeat(8);
      expect((await http(`${stack.contextUrl}/no/such/route`, { headers: { 'X-Request-Id': longest } })).headers.get('x-request-id')).toBe(longest);
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
    it('writes a webhook delivery under the id of the start of each conversation it carried events of, one line each, not under the first one\'s', async () => {
      const receiver = await receiveCallbacks(stack);
      try {
        const client = await clientOf(stack);
        /** A chat started under `id`, assigned (its event delivered), with a token of its agent. */
        const chat = async (id: string) => {
          const started = await start(stack, startDocument(client.lm), { token: client.token, query: 'anonymousCustomer=yes', headers: { 'X-Request-Id': id } });
          const conversationId = started.body.conversation.id as string;
          const [assigned] = await receiver.waitFor(() => receiver.delivered(conversationId).length > 0 && receiver.delivered(conversationId));
          return { id, conversationId, agent: await agentToken(stack, assigned.sender.user.id) };
        };
        const [a, b] = [await chat(requestId()), await chat(requestId())];
        const say = (to: typeof a, text: string) =>
          http(`${stack.contextUrl}/ws/v19/agent/messaging/sendmessage`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${to.agent}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(message(to.conversationId, 'text/plain', text)),
          });
        // A slow answer to the first message: the next two, of two conversations, queue up and go together.
        receiver.plan.push({ status: 200, delayMs: 1000 });
        expect((await say(a, 'one')).status).toBe(200);
        await receiver.waitFor(() => receiver.callbacks.some((c) => c.messages.some((m) => m.content === 'one')));
        expect((await say(b, 'two')).status).toBe(200);
        expect((await say(a, 'three')).status).toBe(200);
        await receiver.waitFor(() => receiver.delivered(a.conversationId).some((m) => m.content === 'three'));
        const batch = receiver.callbacks.find((c) => c.messages.some((m) => m.content === 'two'))!;
        expect(batch.messages.map((m) => m.content)).toEqual(['two', 'three']);
        const delivered = await waitFor(async () => {
          const found = stack.workers.flatMap((w) => lines(w, 'callback delivered')).filter((l) => l.batchId === batch.headers['webhook-id']);
          return found.length >= 2 && found;
        });
        expect(delivered.map((l) => [l.correlationId, l.events, l.conversationIds, l.batchEvents])).toEqual([
          [b.id, 1, [b.conversationId], 2],
          [a.id, 1, [a.conversationId], 2],
        ]);
      } finally {
        await receiver.stop();
      }
    });
  });

  describe('above info', () => {
    let stack: Stack;

    beforeAll(async () => {
      // The api's lines alone are read here: no worker.
      stack = await Stack.start({ workers: 0, env: { LOG_LEVEL: 'warn' } });
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
