import type { NextFunction, Request, Response } from 'express';
import { inSequence, type MiddlewareStep } from './middleware-sequence';

const req = {} as Request;
const res = {} as Response;

function step(name: string, seen: string[], outcome?: unknown, later = false): MiddlewareStep {
  return (_req, _res, next: NextFunction) => {
    seen.push(name);
    if (later) setImmediate(() => next(outcome));
    else next(outcome);
  };
}

describe('inSequence', () => {
  it('runs every step in order, then hands on once with no error', () => {
    const seen: string[] = [];
    const next = jest.fn();
    inSequence([step('a', seen), step('b', seen), step('c', seen)])(req, res, next);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(next).toHaveBeenCalledTimes(1);
    expect(next.mock.calls).toEqual([[]]);
  });

  it('skips the steps after one that passes an error on, as the router skips later layers', () => {
    const seen: string[] = [];
    const next = jest.fn();
    const refused = new Error('refused');
    inSequence([step('a', seen), step('b', seen, refused), step('c', seen)])(req, res, next);
    expect(seen).toEqual(['a', 'b']);
    expect(next).toHaveBeenCalledWith(refused);
  });

  it('takes null and route as no error, as the router does', () => {
    const seen: string[] = [];
    const next = jest.fn();
    inSequence([step('a', seen, null), step('b', seen, 'route'), step('c', seen)])(req, res, next);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(next.mock.calls).toEqual([[]]);
  });

  it('waits for a step that hands on later (a body being read)', async () => {
    const seen: string[] = [];
    const done = new Promise<unknown[]>((resolve) => inSequence([step('a', seen, undefined, true), step('b', seen)])(req, res, (...args: unknown[]) => resolve(args)));
    expect(seen).toEqual(['a']);
    expect(await done).toEqual([]);
    expect(seen).toEqual(['a', 'b']);
  });

  it('lets a step throw to whoever called the sequence (Nest answers it with the error filter)', () => {
    const thrower: MiddlewareStep = () => {
      throw new Error('thrown');
    };
    expect(() => inSequence([step('a', []), thrower])(req, res, jest.fn())).toThrow('thrown');
  });
});
