import type { INestApplication } from '@nestjs/common';
import { isMiddlewareRoute } from '../http/middleware-route';

export interface MappedRoute {
  method: string;
  path: string;
}

export interface RouteTable {
  /** Every route with its own method(s): Nest controllers and routes added on Express directly. */
  routes: MappedRoute[];
  /**
   * Paths where middleware or a sub-application is mounted (catch-all suffixes removed):
   * Nest's middleware, static files of the docs UI, the queue dashboard.
   */
  mounts: string[];
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  rawPath?: unknown;
  handle?: { stack?: Layer[] };
}

/**
 * Walks the Express router of the running app: Nest's controllers and anything mounted on
 * Express directly. The OpenAPI e2e test compares this table with the document, so a route
 * added in any way must be described (or be a listed non-API mount) for the tests to pass.
 */
export function routeTable(app: INestApplication): RouteTable {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: Layer[] }; _router?: { stack: Layer[] } };
  const router = express.router ?? express._router;
  const routes = new Map<string, MappedRoute>();
  const mounts = new Set<string>();
  if (router) walk(router.stack, '', routes, mounts);
  return {
    routes: [...routes.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
    mounts: [...mounts].sort(),
  };
}

function walk(stack: Layer[], prefix: string, routes: Map<string, MappedRoute>, mounts: Set<string>): void {
  for (const layer of stack) {
    if (layer.route) {
      const methods = Object.entries(layer.route.methods).filter(([m, on]) => on && m !== '_all').map(([m]) => m.toUpperCase());
      // A route answering (nearly) every method is how Nest mounts middleware, not an endpoint.
      const everyMethod = isMiddlewareRoute(layer.route);
      for (const path of paths(layer.route.path)) {
        if (everyMethod) {
          mounts.add(mountPath(join(prefix, path)));
          continue;
        }
        for (const method of methods) routes.set(`${method} ${join(prefix, path)}`, { method, path: join(prefix, path) });
      }
      continue;
    }
    const at = paths(layer.rawPath).map((p) => join(prefix, p));
    if (layer.handle?.stack) {
      for (const p of at.length ? at : [prefix]) walk(layer.handle.stack, p === '/' ? '' : p, routes, mounts);
    } else {
      for (const p of at) if (mountPath(p) !== '/') mounts.add(mountPath(p));
    }
  }
}

function paths(path: unknown): string[] {
  if (Array.isArray(path)) return path.flatMap(paths);
  return typeof path === 'string' ? [path] : path instanceof RegExp ? [path.source] : [];
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** `/system{/*splat}`, `/system/{*path}`, `/system/*path` → `/system`. */
function mountPath(path: string): string {
  const trimmed = path.replace(/(\{\/\*\w+\}|\/\{\*\w+\}|\/\*\w*)$/, '').replace(/\/$/, '');
  return trimmed === '' ? '/' : trimmed;
}
