/** An Express route as `req.route` and the router's layers hold it. */
export interface ExpressRoute {
  path?: unknown;
  methods?: Record<string, boolean>;
}

/** Express' `app.all` adds a route for each of its ~30 methods; no endpoint answers that many. */
const MIDDLEWARE_METHOD_COUNT = 20;

/**
 * Whether a route is how Nest mounts its middleware (`app.all('/system{/*splat}')`, every
 * method) rather than an endpoint: such a route is still in `req.route` after a request went
 * through the middleware and no endpoint took it.
 */
export function isMiddlewareRoute(route: ExpressRoute): boolean {
  const methods = route.methods ?? {};
  return methods._all === true || Object.entries(methods).filter(([m, on]) => on && m !== '_all').length >= MIDDLEWARE_METHOD_COUNT;
}
