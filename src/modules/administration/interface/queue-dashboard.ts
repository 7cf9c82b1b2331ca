import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bull';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bull';
import type { Application } from 'express';
import { QUEUES } from '../../../platform/queue/queues';
import { QueueDashboardAuth } from './queue-dashboard.auth';

export const queueDashboardPath = (contextPath: string) => `${contextPath}/admin/queues`;

/**
 * Bull Board for every queue (assignment, webhook) at `<CONTEXT_PATH>/admin/queues`, for
 * administrators only. Mounted on Express before Nest's middleware, so a browser's
 * Accept and Accept-Language headers never turn its pages into API errors.
 */
export function mountQueueDashboard(app: INestApplication, contextPath: string): void {
  const path = queueDashboardPath(contextPath);
  const adapter = new ExpressAdapter();
  adapter.setBasePath(path);
  createBullBoard({
    queues: QUEUES.map((name) => new BullAdapter(app.get<Queue>(getQueueToken(name), { strict: false }))),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Messaging queues' } },
  });
  // Bull Board answers from an Express application of its own, whose settings are not the api's:
  // without this it named Express in X-Powered-By on every page and poll.
  const board = adapter.getRouter() as Application;
  board.disable('x-powered-by');
  app.use(path, app.get(QueueDashboardAuth, { strict: false }).middleware(), board);
}
