import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import { echoedHeader } from '../errors/echoed-value';
import { requestContextOf, type BodyFormat } from './wire-format';

const BODY_FORMATS = 'bodyFormats';
const DOCUMENT_FORMATS: readonly BodyFormat[] = ['json', 'xml', 'multipart'];

/** Which body formats a route takes; without it a route takes the document formats. */
export const BodyFormats = (...formats: BodyFormat[]) => SetMetadata(BODY_FORMATS, formats);

@Injectable()
export class BodyFormatGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const format = requestContextOf(req)?.bodyFormat;
    if (format === undefined) return true;
    const allowed = this.reflector.getAllAndOverride<BodyFormat[]>(BODY_FORMATS, [context.getHandler(), context.getClass()]) ?? DOCUMENT_FORMATS;
    if (!allowed.includes(format)) {
      throw new AppError('UnsupportedContentType', `Content-Type ${echoedHeader(req.headers['content-type'])} is not accepted here`, 'Content-Type');
    }
    return true;
  }
}
