import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { WsErrorRenderer } from './ws-error.renderer';

/** The one place where errors thrown anywhere in a request become HTTP answers. */
@Catch()
export class WsErrorFilter implements ExceptionFilter {
  constructor(private readonly renderer: WsErrorRenderer) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.renderer.render(http.getRequest<Request>(), http.getResponse<Response>(), exception);
  }
}
