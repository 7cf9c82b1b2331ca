import express from 'express';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { countAnswerBeforeExpress, httpMetricsMiddleware } from './http-metrics.middleware';
import { markArrival } from '../http/arrival';
import { API_METRICS, httpRequestDuration, httpRequests, metricsRegistry, registerMetrics } from './registry';

/** Requests counted per route label, as Prometheus would read them. */
async function counted(): Promise<Record<string, number>> {
  const { values } = await httpRequests.get();
  return Object.fromEntries(values.map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
}

/** An app laid out as Nest lays out the api: middleware mounted as a route of every method under the prefix, then the endpoints. */
function nestLikeApp(): express.Express {
  const app = express();
  app.use(httpMetricsMiddleware());
  app.all('/system{/*splat}', (req, res, next) => (req.headers.accept === 'text/html' ? res.status(406).end() : next()));
  app.get('/system/ws/v19/agents/:id', (_req, res) => {
    res.status(200).end();
  });
  app.use((_req, res) => {
    res.status(404).end();
  });
  return app;
}

describe('httpMetricsMiddleware', () => {
  beforeEach(() => {
    registerMetrics(API_METRICS);
    httpRequests.reset();
    httpRequestDuration.reset();
  });
  afterEach(() => metricsRegistry.clear());

  it('labels an answer by the template of the endpoint that gave it', async () => {
    await request(nestLikeApp()).get('/system/ws/v19/agents/7').expect(200);
    expect(await counted()).toEqual({ 'GET /system/ws/v19/agents/:id 200': 1 });
  });

  it('labels a 404 "(unmatched)" and an answer given before routing "(middleware)", not by the route Nest mounts its middleware on', async () => {
    const app = nestLikeApp();
    await request(app).get('/system/no/such/route').expect(404);
    await request(app).get('/elsewhere').expect(404);
    await request(app).get('/system/ws/v19/agents/7').set('Accept', 'text/html').expect(406);
    expect(await counted()).toEqual({ 'GET (unmatched) 404': 2, 'GET (middleware) 406': 1 });
  });

  /** Seconds observed in all, per method, route and status, as Prometheus would read http_request_duration_seconds_sum. */
  async function timed(): Promise<Record<string, number>> {
    const { values } = await httpRequestDuration.get();
    return Object.fromEntries(values.filter((v) => v.metricName?.endsWith('_sum')).map((v) => [`${v.labels.method} ${v.labels.route} ${v.labels.status}`, v.value]));
  }
  const SECOND = 1_000_000_000n;

  it('times a request from its arrival, the time it waited its turn behind others of its connection included', async () => {
    const app = express();
    // As the bound on pipelined requests marks it (pipelined-requests.ts): read 30 s before it was begun.
    app.use((req, _res, next) => {
      markArrival(req, process.hrtime.bigint() - 30n * SECOND);
      next();
    });
    app.use(httpMetricsMiddleware());
    app.get('/system/ws/v19/agents/:id', (_req, res) => void res.status(200).end());
    await request(app).get('/system/ws/v19/agents/7').expect(200);
    const seconds = (await timed())['GET /system/ws/v19/agents/:id 200'];
    expect(seconds >= 30 && seconds < 60 ? 'from its arrival' : seconds).toBe('from its arrival');
  });

  it('times an answer written before Express from its request\'s arrival, or from now for bytes that were no request', async () => {
    const waited = Object.assign(new EventEmitter(), { statusCode: 503 }) as unknown as ServerResponse;
    const req = { method: 'GET' } as IncomingMessage;
    markArrival(req, process.hrtime.bigint() - 30n * SECOND);
    countAnswerBeforeExpress(req, waited);
    waited.emit('finish');
    const unread = Object.assign(new EventEmitter(), { statusCode: 400 }) as unknown as ServerResponse;
    countAnswerBeforeExpress({ method: '(unknown)' } as IncomingMessage, unread);
    unread.emit('finish');
    const seconds = await timed();
    expect([seconds['GET (server) 503'] >= 30, seconds['(unknown) (server) 400'] < 30]).toEqual([true, true]);
  });

  it('counts an answer written before Express once it is sent, under the route "(server)"', async () => {
    const res = Object.assign(new EventEmitter(), { statusCode: 501 }) as unknown as ServerResponse;
    countAnswerBeforeExpress({ method: 'POST' } as IncomingMessage, res);
    expect(await counted()).toEqual({});
    res.emit('finish');
    expect(await counted()).toEqual({ 'POST (server) 501': 1 });
  });
});
