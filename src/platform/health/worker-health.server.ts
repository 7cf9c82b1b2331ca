import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { renderMetrics } from '../metrics/cluster-metrics';
import { metricsRegistry } from '../metrics/registry';
import { HealthChecks, type HealthAnswer } from './health-checks';
import { HEALTH_LIVE_PATH, HEALTH_READY_PATH, METRICS_PATH } from './health.paths';
import { withoutTrailing } from '../text/text-ends';

/**
 * The worker's only listener, when WORKER_HEALTH_PORT is set: liveness, readiness (MySQL,
 * Redis, its own heartbeat) and metrics, on plain node:http. It serves nothing of the API.
 */
@Injectable()
export class WorkerHealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WorkerHealth');
  private server: Server | undefined;

  constructor(private readonly checks: HealthChecks, private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.WORKER_HEALTH_PORT;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, this.config.HTTP_HOST, () => resolve());
    });
    this.server = server;
    this.logger.log({ port: (server.address() as AddressInfo).port }, 'worker health endpoint listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Every connection goes at once: close() alone waits for them, and one that has sent part of
    // a request is never timed out once the server closes, so it held the worker up until its
    // watchdog. A probe under way gets no answer, as from a worker already stopped.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = withoutTrailing((req.url ?? '/').split('?')[0], '/');
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'application/json', JSON.stringify({ error: 'method not allowed' }));
      if (path === `/${HEALTH_LIVE_PATH}`) return sendHealth(res, await this.checks.liveness());
      if (path === `/${HEALTH_READY_PATH}`) return sendHealth(res, await this.checks.readiness('worker'));
      if (path === `/${METRICS_PATH}`) return send(res, 200, metricsRegistry.contentType, await renderMetrics());
      send(res, 404, 'application/json', JSON.stringify({ error: 'not found', paths: [HEALTH_LIVE_PATH, HEALTH_READY_PATH, METRICS_PATH].map((p) => `/${p}`) }));
    } catch (err) {
      this.logger.error({ err: (err as Error).message, path }, 'health endpoint failed');
      send(res, 500, 'application/json', JSON.stringify({ error: 'internal error' }));
    }
  }
}

function sendHealth(res: ServerResponse, answer: HealthAnswer): void {
  send(res, answer.status, 'application/json', JSON.stringify(answer.body));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
