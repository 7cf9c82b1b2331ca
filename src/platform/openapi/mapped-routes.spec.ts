import type { INestApplication } from '@nestjs/common';
import express from 'express';
import { routeTable } from './mapped-routes';

const asNest = (app: express.Express) => ({ getHttpAdapter: () => ({ getInstance: () => app }) }) as unknown as INestApplication;

describe('routeTable', () => {
  it('lists routes with their methods, those of mounted routers with their prefix, and mounts that hide theirs', () => {
    const app = express();
    const noop = (_req: express.Request, res: express.Response) => res.end();
    app.use((_req, _res, next) => next());
    app.get('/system/things/:id', noop);
    app.post('/system/things', noop);
    const router = express.Router();
    router.patch('/:id', noop);
    app.use('/system/others', router);
    app.use('/system/board', express());
    app.all('/system{/*splat}', (_req, _res, next) => next());

    const table = routeTable(asNest(app));
    expect(table.routes).toEqual([
      { method: 'PATCH', path: '/system/others/:id' },
      { method: 'POST', path: '/system/things' },
      { method: 'GET', path: '/system/things/:id' },
    ]);
    expect(table.mounts).toEqual(['/system', '/system/board']);
  });
});
