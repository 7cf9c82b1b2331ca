import { Stack, waitForOutput, type RunningProcess } from './support/stack';

/** The JSON line a process wrote whose `msg` or `context` names `text`, parsed. */
async function startUpLine(process: RunningProcess, text: string): Promise<Record<string, unknown>> {
  const quoted = JSON.stringify(text);
  const line = await waitForOutput(process, new RegExp(`"(msg|context)":${quoted}`));
  // pino gives every line its pid; a line naming it again has the key twice.
  expect(line.match(/"pid":/g)).toHaveLength(1);
  return JSON.parse(line) as Record<string, unknown>;
}

/**
 * The start-up lines have the shape of every other line (docs/operations.md, Logs): `msg` is
 * what happened, `context` the area that says it, so that an operator's search on `msg` finds them.
 */
describe('logs: the start-up lines of the api and the worker', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => stack?.stop());

  it('api listening: its text in msg, its area in context', async () => {
    const line = await startUpLine(stack.api, 'api listening');
    expect(line).toMatchObject({ msg: 'api listening', context: 'Api', pid: expect.any(Number), port: expect.any(Number) });
  });

  it('route table: its text in msg, its area in context', async () => {
    const line = await startUpLine(stack.api, 'route table');
    expect(line).toMatchObject({ msg: 'route table', context: 'Api', routes: expect.any(Array) });
  });

  it('worker started: its text in msg, its area in context', async () => {
    const line = await startUpLine(stack.workers[0], 'worker started');
    expect(line).toMatchObject({ msg: 'worker started', context: 'Worker', pid: expect.any(Number) });
  });
});
