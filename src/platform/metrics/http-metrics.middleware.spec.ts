import express from 'express';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import request from 'supertest';
import { countAnswerBeforeExpress, httpMetricsMiddleware } from './http-metrics.middleware';
import { API_METRICS, httpRequests, metricsRegistry, registerMetrics } from './registry';

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

  it('counts an answer written before Express once it is sent, under the route "(server)"', async () => {
    const res = Object.assign(new EventEmitter(), { statusCode: 501 }) as unknown as ServerResponse;
    countAnswerBeforeExpress({ method: 'POST' } as IncomingMessage, res);
    expect(await counted()).toEqual({});
    res.emit('finish');
    expect(await counted()).toEqual({ 'POST (server) 501': 1 });
  });
});
