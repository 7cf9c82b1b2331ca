import { AsyncResource } from 'node:async_hooks';

/**
 * Node 20's `AsyncResource#bind` gives every bound function a deprecated `asyncResource`
 * accessor (DEP0172) made of two deprecation wrappers, and making each wrapper changes a
 * function's prototype, a slow path in V8: about 17 µs per bind on this project's machines
 * against 0.6 µs without (bench/README.md). Nest binds once per interceptor on every request,
 * five times on a start. Node 24 stopped changing the prototype and Node 25 dropped the
 * accessor; this gives Node 20 the bind of those versions: same context, `this`, arguments
 * and `length`, no accessor. Where the running Node no longer defines it, nothing changes.
 *
 * @returns whether the bind was replaced
 */
export function installLeanAsyncResourceBind(): boolean {
  const probe = new AsyncResource('lean-bind-probe').bind(() => undefined);
  if (!Object.prototype.hasOwnProperty.call(probe, 'asyncResource')) return false;
  AsyncResource.prototype.bind = function leanBind<Func extends (...args: any[]) => any>(this: AsyncResource, fn: Func, thisArg?: ThisParameterType<Func>) {
    if (typeof fn !== 'function') throw new TypeError('The "fn" argument must be of type function');
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : (...args: unknown[]) => resource.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, writable: false, value: fn.length });
    return bound as unknown as Func;
  } as typeof AsyncResource.prototype.bind;
  return true;
}
