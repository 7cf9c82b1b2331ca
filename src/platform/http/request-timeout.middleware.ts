import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { UNAVAILABLE_RETRY_AFTER } from '../errors/error-catalogue';
import { answerBeforeBodyEnds } from './read-body';
import { WsErrorRenderer } from './ws-error.renderer';

/**
 * Bounds how long a client waits, guards and all: a request not answered within
 * REQUEST_TIMEOUT_MS (a hung database, say) gets 503 with Retry-After. The work itself
 * may still complete later; clients that retry should send an Idempotency-Key. The time runs from
 * when the request is begun, not while it waits its turn behind others pipelined on its connection
 * (pipelined-requests.ts): that wait lasts until the answers before it are handed to the kernel,
 * each bounded here when the api is slow, and at the client's pace when the client reads slowly,
 * whom a 503 would wrongly tell that the service is unavailable.
 *
 * A request whose body has not all arrived by then is the client's delay, not the service's:
 * it gets 408, the reading of its body stops and the connection is closed, so the request never
 * runs (were it answered 503 and then run once its body arrived, a client retrying as told would
 * start the same conversation twice). The connection closes as after a 413: what the client still
 * sends is read and dropped for a while, so that a client still sending reads its 408 instead of
 * losing it to a reset.
 */
@Injectable()
export class RequestTimeoutMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig, private readonly renderer: WsErrorRenderer) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const ms = this.config.REQUEST_TIMEOUT_MS;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      if (!req.complete) {
        this.renderer.render(req, res, answerBeforeBodyEnds(req, new AppError('RequestTimeout', `request body not received within ${ms} ms`)));
        return;
      }
      this.renderer.render(req, res, new AppError('ServiceUnavailable', `no answer within ${ms} ms`, undefined, {}, UNAVAILABLE_RETRY_AFTER));
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  }
}
