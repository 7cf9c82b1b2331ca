import { type CallHandler, type ExecutionContext, Logger } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { Subject, lastValueFrom, of, throwError } from 'rxjs';
import { setRequestContext } from '../http/wire-format';
import type { IdempotencyStore } from './idempotency.store';
import { IdempotencyClaimLost, type IdempotentAnswer } from './idempotent-answer';
import { IdempotentInterceptor } from './idempotent.interceptor';

const PRINCIPAL = 'client_application:1';
const OWNER = Buffer.alloc(16, 3);

function contextFor(key: string = 'k-1', principal = PRINCIPAL): ExecutionContext & { res: { status: jest.Mock; setHeader: jest.Mock } } {
  const req = { headers: { 'idempotency-key': key }, method: 'POST', path: '/start', query: {}, body: { a: 1 } };
  setRequestContext(req as never, { format: 'json', language: 'en', principal });
  const res = { status: jest.fn(), setHeader: jest.fn() };
  return {
    res,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
    getHandler: () => () => undefined,
  } as unknown as ExecutionContext & { res: { status: jest.Mock; setHeader: jest.Mock } };
}

/** Work that leaves its answer to the interceptor, as a route recording nothing in its transaction does. */
const answersAfterCommit = { expect: jest.fn(), recorded: () => false } as unknown as IdempotentAnswer;

describe('IdempotentInterceptor', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** An interceptor whose store answers `begin` with `begun`; the work it guards is counted. */
  function answering(begun: unknown) {
    const store = { begin: jest.fn().mockResolvedValue(begun), touch: jest.fn(), complete: jest.fn(), release: jest.fn() };
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, { get: () => 200 } as unknown as Reflector);
    const work = jest.fn(() => of({ ran: true }));
    return { store, interceptor, handler: { handle: work } as CallHandler, work };
  }

  it('answers a replay with the status and answer first given, marked Idempotent-Replayed, and runs no work', async () => {
    const { interceptor, handler, work } = answering({ kind: 'replay', statusCode: 201, response: { conversation: { id: 'c-1' } } });
    const ctx = contextFor();
    await expect(lastValueFrom(await interceptor.intercept(ctx, handler))).resolves.toEqual({ conversation: { id: 'c-1' } });
    expect(ctx.res.status).toHaveBeenCalledWith(201);
    expect(ctx.res.setHeader).toHaveBeenCalledWith('Idempotent-Replayed', 'true');
    expect(work).not.toHaveBeenCalled();
  });

  it.each([
    ['in-progress', 'IdempotencyRequestInProgress', { 'Retry-After': '1' }],
    ['mismatch', 'IdempotencyKeyReused', {}],
  ])('refuses a key found %s as %s, with the headers that go with it, and runs no work', async (kind, errorKind, headers) => {
    const { interceptor, handler, work } = answering({ kind });
    await expect(interceptor.intercept(contextFor(), handler)).rejects.toMatchObject({ kind: errorKind, details: 'Idempotency-Key', headers });
    expect(work).not.toHaveBeenCalled();
  });

  it("claims the key in the caller's scope", async () => {
    const { store, interceptor, handler } = answering({ kind: 'replay', statusCode: 200, response: {} });
    await interceptor.intercept(contextFor('k-1', 'agent:7'), handler);
    expect(store.begin).toHaveBeenCalledWith('agent:7', 'k-1', expect.any(Buffer), 30);
  });

  it.each(['a b', 'caf\u00e9', 'tab\there', 'x'.repeat(256), ''])('refuses the key %j: 1 to 255 visible ASCII characters', async (key) => {
    const { store, interceptor, handler } = answering({ kind: 'replay', statusCode: 200, response: {} });
    await expect(interceptor.intercept(contextFor(key), handler)).rejects.toMatchObject({ kind: 'IdempotencyKeyInvalid', details: 'Idempotency-Key' });
    expect(store.begin).not.toHaveBeenCalled();
  });

  it.each(['!', '~', 'x'.repeat(255)])('takes the key %j', async (key) => {
    const { store, interceptor, handler } = answering({ kind: 'replay', statusCode: 200, response: {} });
    await interceptor.intercept(contextFor(key), handler);
    expect(store.begin).toHaveBeenCalledWith(PRINCIPAL, key, expect.any(Buffer), 30);
  });

  it('keeps the claim of a long-running request fresh, and stops once it has finished', async () => {
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    const work = new Subject<unknown>();
    const ctx = contextFor();

    const answer = lastValueFrom(await interceptor.intercept(ctx, { handle: () => work.asObservable() } as CallHandler));
    await jest.advanceTimersByTimeAsync(45_000);
    expect(store.touch).toHaveBeenCalledTimes(4);
    expect(store.touch).toHaveBeenCalledWith(PRINCIPAL, 'k-1', OWNER);

    work.next({ done: true });
    work.complete();
    await expect(answer).resolves.toEqual({ done: true });
    expect(store.complete).toHaveBeenCalledWith(PRINCIPAL, 'k-1', OWNER, 200, { done: true });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(store.touch).toHaveBeenCalledTimes(4);
  });

  it('stops refreshing a claim once a refresh finds it taken over by a retry, and says so once', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      // The second refresh matches no row: a retry took the claim over.
      touch: jest.fn().mockResolvedValueOnce(true).mockResolvedValue(false),
      complete: jest.fn().mockResolvedValue(false),
      release: jest.fn().mockResolvedValue(undefined),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    const work = new Subject<unknown>();

    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: () => work.asObservable() } as CallHandler));
    await jest.advanceTimersByTimeAsync(90_000);
    expect(store.touch).toHaveBeenCalledTimes(2);
    const takenOver = warn.mock.calls.filter(([, msg]) => typeof msg === 'string' && msg.startsWith('claim of a running request taken over'));
    expect(takenOver).toEqual([[{ scope: PRINCIPAL }, expect.any(String)]]);

    work.next({ done: true });
    work.complete();
    await expect(answer).resolves.toEqual({ done: true });
    expect(store.touch).toHaveBeenCalledTimes(2);
  });

  it("answers a failed request's own error when its key cannot be freed (the database gone meanwhile)", async () => {
    const refused = new Error('the body is invalid');
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: () => throwError(() => refused) } as CallHandler));
    await expect(answer).rejects.toBe(refused);
    expect(store.release).toHaveBeenCalledWith(PRINCIPAL, 'k-1', OWNER);
  });

  it('keeps the claim of a request whose work is done but whose answer could not be recorded, and records it once the database answers', async () => {
    const unreachable = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockRejectedValueOnce(unreachable).mockRejectedValueOnce(unreachable).mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: () => of({ started: 1 }) } as CallHandler));
    await expect(answer).rejects.toBe(unreachable);
    // Freeing the key would let a retry start the same work a second time.
    expect(store.release).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(store.complete).toHaveBeenCalledTimes(3);
    expect(store.complete).toHaveBeenLastCalledWith(PRINCIPAL, 'k-1', OWNER, 200, { started: 1 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(store.complete).toHaveBeenCalledTimes(3);
  });

  it('records nothing after work that recorded its answer in its own transaction', async () => {
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
    };
    let recorded = false;
    const answers = { expect: jest.fn(), recorded: () => recorded } as unknown as IdempotentAnswer;
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answers, reflector);
    const work = () => {
      recorded = true;
      return of({ started: 1 });
    };
    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: work } as CallHandler));
    await expect(answer).resolves.toEqual({ started: 1 });
    expect(answers.expect).toHaveBeenCalledWith(PRINCIPAL, 'k-1', OWNER, 200);
    expect(store.complete).not.toHaveBeenCalled();
    expect(store.release).not.toHaveBeenCalled();
  });

  it('leaves the key of a request whose claim a retry took over to that retry', async () => {
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockResolvedValue(true),
      release: jest.fn().mockResolvedValue(undefined),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    const lost = new IdempotencyClaimLost();
    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: () => throwError(() => lost) } as CallHandler));
    await expect(answer).rejects.toBe(lost);
    expect(store.release).not.toHaveBeenCalled();
    expect(store.complete).not.toHaveBeenCalled();
  });

  it('answers work that is done though a retry took its claim over, and records nothing over that claim', async () => {
    const store = {
      begin: jest.fn().mockResolvedValue({ kind: 'new', owner: OWNER }),
      touch: jest.fn().mockResolvedValue(true),
      complete: jest.fn().mockResolvedValue(false),
      release: jest.fn().mockResolvedValue(undefined),
    };
    const reflector = { get: () => 200 } as unknown as Reflector;
    const interceptor = new IdempotentInterceptor(store as unknown as IdempotencyStore, answersAfterCommit, reflector);
    // The work committed: it cannot be undone, and the answer is the client's, though the claim
    // is a retry's now. Nothing is recorded over that claim, and nothing is tried again.
    const answer = lastValueFrom(await interceptor.intercept(contextFor(), { handle: () => of({ started: 1 }) } as CallHandler));
    await expect(answer).resolves.toEqual({ started: 1 });
    expect(store.complete).toHaveBeenCalledWith(PRINCIPAL, 'k-1', OWNER, 200, { started: 1 });
    await jest.advanceTimersByTimeAsync(5_000);
    expect(store.complete).toHaveBeenCalledTimes(1);
    expect(store.release).not.toHaveBeenCalled();
  });
});
