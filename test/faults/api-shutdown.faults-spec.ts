import { lastModified, login } from '../support/client';
import { Stack, waitFor } from '../support/stack';
import { startLoad } from './load';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM to the api under load: it stops taking requests, finishes the ones in flight, loses nothing. */
describe('graceful shutdown of the api under load', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start();
    await stack.db.query('UPDATE agent SET max_chats = 100000');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers every request it accepted, exits cleanly, and every answered start is assigned', async () => {
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const load = startLoad(stack, token, lm, 6);
    await sleep(1500);
    const exited = new Promise<string>((resolve) => stack.api.child.once('exit', (code, signal) => resolve(String(code ?? signal))));
    const sentAt = Date.now();
    stack.api.child.kill('SIGTERM');
    const code = await exited;
    const exitMs = Date.now() - sentAt;
    const outcomes = await load.stop();

    expect(code).toBe('0');
    expect(exitMs).toBeLessThan(10000);
    const answered = outcomes.filter((o) => o.status !== 0);
    // Requests answered by the api are all successes: none was cut off with an error.
    expect(answered.every((o) => o.status === 200)).toBe(true);
    // What failed is what could not connect once the api had stopped listening.
    for (const o of outcomes.filter((x) => x.status === 0)) expect(o.text).toMatch(/fetch failed|ECONNREFUSED|other side closed|socket/i);

    const ids = answered.map((o) => o.conversationId!);
    expect(ids.length).toBeGreaterThan(10);
    const [{ n: activities }] = await stack.db.query('SELECT COUNT(*) AS n FROM activity');
    expect(Number(activities)).toBe(ids.length);
    await waitFor(async () => {
      const [row] = await stack.db.query("SELECT COUNT(*) AS n FROM activity WHERE state = 'assigned'");
      return Number(row.n) === ids.length;
    }, 15000);
  });
});
