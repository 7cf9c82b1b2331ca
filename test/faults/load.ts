import { customerWithEmail, start, startDocument, uniqueEmail, type HttpResult } from '../support/client';
import type { Stack } from '../support/stack';

export interface StartOutcome {
  status: number;
  code?: string;
  conversationId?: string;
  retryAfter?: string;
  ms: number;
  text: string;
}

/** Runs `concurrency` loops of identified starts until `stop()` is called; collects every outcome. */
export function startLoad(stack: Stack, token: string, lm: string, concurrency = 4) {
  const outcomes: StartOutcome[] = [];
  let running = true;
  const loops = Array.from({ length: concurrency }, async () => {
    while (running) {
      const t0 = Date.now();
      let res: HttpResult | undefined;
      try {
        res = await start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('load')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
      } catch (err) {
        outcomes.push({ status: 0, ms: Date.now() - t0, text: String(err) });
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      outcomes.push({ status: res.status, code: res.body?.code, conversationId: res.body?.conversation?.id, retryAfter: res.headers.get('retry-after') ?? undefined, ms: Date.now() - t0, text: res.text });
      if (res.status !== 200) await new Promise((r) => setTimeout(r, 20));
    }
  });
  return {
    outcomes,
    async stop(): Promise<StartOutcome[]> {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}
