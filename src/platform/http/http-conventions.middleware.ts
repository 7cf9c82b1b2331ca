import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { BodyParserMiddleware } from './body-parser.middleware';
import { inSequence, type MiddlewareStep } from './middleware-sequence';
import { NegotiationMiddleware } from './negotiation.middleware';
import { RequestTimeoutMiddleware } from './request-timeout.middleware';

/**
 * The request timeout, content negotiation and body reading, in that order, for every path: one
 * layer of the router instead of three, each with Nest's proxy (middleware-sequence.ts).
 */
@Injectable()
export class HttpConventionsMiddleware implements NestMiddleware {
  private readonly steps: MiddlewareStep;

  constructor(timeout: RequestTimeoutMiddleware, negotiation: NegotiationMiddleware, body: BodyParserMiddleware) {
    this.steps = inSequence([timeout, negotiation, body].map((m) => m.use.bind(m)));
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.steps(req, res, next);
  }
}
