import { type CallHandler, type ExecutionContext, HttpStatus, Injectable, Logger, type NestInterceptor, UseInterceptors, applyDecorators } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { ApiExtension, ApiHeader } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { catchError, finalize, from, mergeMap, of, throwError, type Observable } from 'rxjs';
import { AppError } from '../errors/app-error';
import type { ErrorKind } from '../errors/error-catalogue';
import { requestContextOf } from '../http/wire-format';
import { IdempotencyStore } from './idempotency.store';
import { IdempotencyClaimLost, IdempotentAnswer } from './idempotent-answer';
import { requestFingerprint } from './request-fingerprint';

const KEY = /^[\x21-\x7E]{1,255}$/;
/**
 * A claim not refreshed for this long is taken to belong to a request that died, and a new
 * attempt may proceed; a running request refreshes its claim every third of it.
 */
const LOCK_SECONDS = 30;
/** How long the answer of a finished request is retried when the database could not record it. */
const COMPLETE_RETRY_MS = 10 * 60 * 1000;

/**
 * `Idempotency-Key` support: the same key with the same request within 24 h returns the
 * first (successful) response, marked `Idempotent-Replayed: true`, and does nothing;
 * the same key with another request (`requestFingerprint`) is 422; a retry while the first still runs is 409
 * with Retry-After. Keys are scoped per authenticated caller.
 */
@Injectable()
export class IdempotentInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyStore, private readonly answers: IdempotentAnswer, private readonly reflector: Reflector) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const header = req.headers['idempotency-key'];
    if (header === undefined) return next.handle();
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw new AppError('IdempotencyKeyInvalid', 'Idempotency-Key must be 1..255 visible ASCII characters', 'Idempotency-Key');
    }
    const scope = requestContextOf(req)?.principal;
    if (!scope) throw new Error('idempotent route reached without an authenticated principal');
    const hash = requestFingerprint(req);
    const begin = await this.store.begin(scope, header, hash, LOCK_SECONDS);
    switch (begin.kind) {
      case 'mismatch':
        throw new AppError('IdempotencyKeyReused', 'this Idempotency-Key was used with a different request', 'Idempotency-Key');
      case 'in-progress':
        throw new AppError('IdempotencyRequestInProgress', 'a request with this Idempotency-Key is still running', 'Idempotency-Key', {}, { 'Retry-After': '1' });
      case 'replay':
        res.status(begin.statusCode);
        res.setHeader('Idempotent-Replayed', 'true');
        return of(begin.response);
      case 'new': {
        const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
        const { owner } = begin;
        this.answers.expect(scope, header, owner, status);
        const heartbeat = this.refresh(scope, header, owner);
        return next.handle().pipe(
          // The client gets its request's own error even when the key cannot be freed (the
          // database gone meanwhile): the claim then goes stale after LOCK_SECONDS. A claim a
          // retry took over is that retry's, and is not freed (the store frees only `owner`'s).
          catchError((err: unknown) => (err instanceof IdempotencyClaimLost ? throwError(() => err) : from(this.release(scope, header, owner, err)))),
          // The work is done from here on: its key is never freed, or a retry would do it again.
          // Work that recorded its answer in its own transaction has committed it already.
          mergeMap((data) => (this.answers.recorded() ? of(data) : from(this.complete(scope, header, owner, status, data).then(() => data)))),
          finalize(() => heartbeat.stop()),
        );
      }
    }
  }

  /**
   * Refreshes a running request's claim every third of LOCK_SECONDS until the request ends, or
   * until a refresh finds the claim taken over by a retry (this request could not refresh it
   * for LOCK_SECONDS): it is the retry's then, and no later refresh could make it this
   * request's again. A refresh that fails (the database away) is tried again at the next beat.
   */
  private refresh(scope: string, key: string, owner: Buffer): { stop(): void } {
    let running = true;
    const stop = () => {
      running = false;
      clearInterval(timer);
    };
    const timer = setInterval(() => {
      this.store.touch(scope, key, owner).then(
        (own) => {
          // A request that has ended (its answer recorded) no longer holds a claim to refresh.
          if (own || !running) return;
          stop();
          this.logger.warn({ scope }, 'claim of a running request taken over by a retry with its Idempotency-Key; no longer refreshed');
        },
        () => undefined,
      );
    }, (LOCK_SECONDS * 1000) / 3);
    timer.unref();
    return { stop };
  }

  /** Frees the key of a failed request, then fails with the request's own error. */
  private async release(scope: string, key: string, owner: Buffer, err: unknown): Promise<never> {
    try {
      await this.store.release(scope, key, owner);
    } catch (releaseErr) {
      this.logger.warn({ err: (releaseErr as Error).message }, `Idempotency-Key not freed; it is free again ${LOCK_SECONDS} s after the request's last refresh`);
    }
    throw err;
  }

  /**
   * Records the answer of work that is done, for routes whose work does not record it in its
   * transaction (IdempotentAnswer). When the database cannot take it (gone since the
   * work committed), the client gets that error (503) and the claim is kept: the answer is
   * recorded as soon as the database answers again, every second for COMPLETE_RETRY_MS, and a
   * retry meanwhile is 409 and then the replay, never a second execution.
   * A claim a retry took over meanwhile (this request could not refresh it for LOCK_SECONDS) is
   * that retry's: the answer is not recorded over it, and the client still gets its answer, since
   * its work is done and cannot be rolled back any more.
   */
  private async complete(scope: string, key: string, owner: Buffer, status: number, data: unknown): Promise<void> {
    try {
      if (!(await this.store.complete(scope, key, owner, status, data))) {
        this.logger.warn({ scope, status }, 'answer of a finished request not recorded: a retry with its Idempotency-Key took the claim over and may run it again');
      }
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'answer of a finished request not recorded under its Idempotency-Key; trying again every second');
      const giveUpAt = Date.now() + COMPLETE_RETRY_MS;
      const retry = setInterval(() => {
        this.store.complete(scope, key, owner, status, data).then(
          () => clearInterval(retry),
          () => {
            if (Date.now() < giveUpAt) return;
            clearInterval(retry);
            this.logger.error({ scope, status }, 'answer of a finished request never recorded under its Idempotency-Key; a retry after its claim goes stale runs it again');
          },
        );
      }, 1000);
      retry.unref();
      throw err;
    }
  }
}

/** The answers `Idempotency-Key` adds to a route. */
export const IDEMPOTENCY_ERRORS: ErrorKind[] = ['IdempotencyKeyInvalid', 'IdempotencyRequestInProgress', 'IdempotencyKeyReused'];
/** OpenAPI extension marking an operation as idempotent; the document builder adds the header's answers. */
export const X_IDEMPOTENT = 'x-ws-idempotent';

/**
 * Marks a route as accepting `Idempotency-Key`, and describes the header and its answers in
 * the API description, so that no idempotent route leaves them out.
 */
export const Idempotent = () =>
  applyDecorators(
    UseInterceptors(IdempotentInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '1..255 visible ASCII characters. The same key and request within 24 h returns the first answer (Idempotent-Replayed: true) and does nothing again.',
      schema: { type: 'string', pattern: KEY.source, minLength: 1, maxLength: 255 },
    }),
    ApiExtension(X_IDEMPOTENT, true),
  );
