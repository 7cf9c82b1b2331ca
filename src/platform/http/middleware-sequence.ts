import type { NextFunction, Request, Response } from 'express';

/** A middleware as Express and Nest's `NestMiddleware.use` call it. */
export type MiddlewareStep = (req: Request, res: Response, next: NextFunction) => void;

/**
 * Runs middleware one after another as one Express layer. Each layer of the router costs every
 * request a turn of its dispatch loop (path match, parameters, prefix trimming) and, for Nest's
 * middleware, a proxy of its own (an async call, a promise); steps that always run together for
 * every path need neither. As in the router: a step passing an error on skips those after it,
 * a falsy value or `'route'` is no error, and `'router'` leaves the router.
 */
export function inSequence(steps: readonly MiddlewareStep[]): MiddlewareStep {
  return (req, res, next) => {
    let index = 0;
    const proceed = (err?: unknown): void => {
      if (err && err !== 'route') return next(err);
      if (index === steps.length) return next();
      steps[index++](req, res, proceed);
    };
    proceed();
  };
}
