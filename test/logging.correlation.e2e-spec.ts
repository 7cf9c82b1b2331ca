import { randomBytes } from 'node:crypto';
import { http, lastModified, login, start, startDocument } from './support/client';
import { Stack, waitFor, type RunningProcess } from './support/stack';

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
      stack = await Stack.start({ env: { LOG_LEVEL: 'info' } });
    });
    afterAll(async () => stack?.stop());

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
  });
});
