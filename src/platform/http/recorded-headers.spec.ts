import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { recordedHeaders } from './recorded-headers';
import { API_HEADER_POLICY, PAGE_HEADER_POLICY } from './security-headers';

/** The replayed headers must be exactly helmet's, for the policies main.ts uses. */
describe('recordedHeaders', () => {
  const policies = [helmet(API_HEADER_POLICY), helmet(PAGE_HEADER_POLICY)];

  async function headersThrough(middleware: express.RequestHandler) {
    const app = express();
    app.use(middleware);
    app.get('/', (_req, res) => res.json({ ok: true }));
    const res = await request(app).get('/');
    const { date: _date, etag: _etag, ...rest } = res.headers;
    return rest;
  }

  it.each(policies.map((p, i) => [i, p] as const))('replays policy %i exactly as helmet sets it', async (_i, policy) => {
    const direct = await headersThrough(policy);
    const replayed = await headersThrough(recordedHeaders(policy) as express.RequestHandler);
    expect(direct['content-security-policy']).toBeDefined();
    expect(replayed).toEqual(direct);
    expect(replayed['x-powered-by']).toBeUndefined();
  });

  it('refuses a middleware that does not answer at once', () => {
    expect(() => recordedHeaders(() => undefined)).toThrow(/synchronously/);
  });
});
