import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { WsErrorRenderer } from './ws-error.renderer';

/**
 * Bounds how long a client waits, guards and all: a request not answered within
 * REQUEST_TIMEOUT_MS (a hung database, say) gets 503 with Retry-After. The work itself
 * may still complete later; clients that retry should send an Idempotency-Key.
 */
@Injectable()
export class RequestTimeoutMiddleware implements NestMiddleware {
  constructor(private readonly config: AppConfig, private readonly renderer: WsErrorRenderer) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const ms = this.config.REQUEST_TIMEOUT_MS;
    const timer = setTimeout(() => {
      if (!res.headersSent) this.renderer.render(req, res, new AppError('ServiceUnavailable', `no answer within ${ms} ms`, undefined, {}, { 'Retry-After': '5' }));
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  }
}
