import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { answerTypeOf, requestContextOf } from './wire-format';
import { toXml } from './xml-codec';

/**
 * Controllers return documents as plain objects; with a single key (`{ conversation: {...} }`)
 * that key is the XML root element, otherwise the root is `response`. JSON is sent as returned.
 */
@Injectable()
export class WireFormatInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((data: unknown) => {
        if (data === undefined || data === null) return data;
        const ctx = requestContextOf(req);
        if (ctx?.format !== 'xml') return data;
        const entries = Object.entries(data as Record<string, unknown>);
        const [root, content] = entries.length === 1 ? entries[0] : ['response', data];
        res.type(answerTypeOf(ctx));
        return toXml(root, content);
      }),
    );
  }
}
