import type { Socket } from 'node:net';
import { liveAnswerMs, openConnection, residentMiB } from './support/api-pressure';
import { Stack } from './support/stack';

/**
 * The API description is public and large (the document 1.3 MB, the UI's script carrying it 2 MB).
 * Requests pipelined on one connection are all answered at once, each answer held until the client
 * reads it: each must not cost the api a copy of its own.
 */
describe('the API description asked for many times on a connection that reads nothing', () => {
  let stack: Stack;
  let socket: Socket | undefined;

  beforeAll(async () => {
    stack = await Stack.start({ seed: false, workers: 0 });
  });

  afterAll(async () => {
    socket?.destroy();
    await stack?.stop();
  });

  it('holds no copy per answer: memory stays flat and the api answers its probes', async () => {
    const pid = stack.api.child.pid!;
    const { hostname } = new URL(stack.baseUrl);
    const before = residentMiB(pid);
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`;
    // 36 KB in one write: 400 requests for each, 1.3 GB of answers were each held apart.
    const pipelined = request('/system/docs-json').repeat(400) + request('/system/docs/swagger-ui-init.js').repeat(400);
    socket = await openConnection(stack);
    socket.pause();
    socket.write(pipelined);

    const probes: number[] = [];
    for (const until = Date.now() + 5000; Date.now() < until; ) {
      probes.push(await liveAnswerMs(stack.baseUrl));
      await new Promise((r) => setTimeout(r, 250));
    }
    const measured = { slowestProbeMs: Math.max(...probes), grownMiB: Math.round(residentMiB(pid) - before) };
    expect(measured.slowestProbeMs < 1000 && measured.grownMiB < 200 ? 'bounded' : measured).toBe('bounded');
  });
});
