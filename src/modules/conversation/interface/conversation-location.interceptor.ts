import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { type Observable, tap } from 'rxjs';
import type { ConversationLink } from './conversation.response';

/**
 * Names the started conversation's address in `Location`, as a client expects of a request
 * that creates something (the status stays the contract's 200). Taken from the answer's
 * `self` link, so an answer replayed for an `Idempotency-Key` carries it as the first did.
 */
@Injectable()
export class ConversationLocationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((data: unknown) => {
        const links = (data as { conversation?: { link?: ConversationLink[] } } | undefined)?.conversation?.link;
        const self = links?.find((l) => l.rel === 'self');
        if (self) res.setHeader('Location', self.href);
      }),
    );
  }
}
