import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { echoed } from '../errors/echoed-value';
import { requestContextOf } from './wire-format';

/**
 * An XML body names its document by its root element; a route that takes one kind of
 * document refuses another (400-112 naming `(root)`), as the body's members would otherwise
 * be read under the wrong name. JSON bodies have no root and pass.
 */
export function checkXmlRoot(req: Request, expected: string): void {
  const root = requestContextOf(req)?.xmlRoot;
  if (root !== undefined && root !== expected) {
    throw new AppError('BodyInvalid', `the XML root element must be ${expected}, not ${echoed(root)}`, '(root)', { field: '(root)' });
  }
}

/**
 * The request body, as `@Body()` gives it, once its XML root element (if any) is the one
 * the route takes: `@DocumentBody('department') body: unknown`. Checked just before the
 * handler runs, after authentication, and before the body's own checks (400-110, 400-112).
 */
export const DocumentBody = createParamDecorator((root: string, ctx: ExecutionContext): unknown => {
  const req = ctx.switchToHttp().getRequest<Request>();
  checkXmlRoot(req, root);
  return req.body;
});
