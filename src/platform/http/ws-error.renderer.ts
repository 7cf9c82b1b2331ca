import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppError } from '../errors/app-error';
import { Localizer } from '../i18n/localizer';
import { codeOf, statusOf, toAppError, unavailableCause, type WsErrorBody } from '../errors/ws-error';
import { bearerChallenge } from '../session/challenge';
import { negotiate, setNegotiatedHeaders } from './negotiation.middleware';
import { answerTypeOf, requestContextOf } from './wire-format';
import { toXml } from './xml-codec';

/** Writes any error as a WSError in the negotiated format and language; status and code from the catalogue. */
@Injectable()
export class WsErrorRenderer {
  private readonly logger = new Logger('WsError');

  constructor(private readonly localizer: Localizer) {}

  render(req: Request, res: Response, exception: unknown): void {
    if (res.headersSent && (exception as { code?: unknown } | null)?.code === 'ERR_HTTP_HEADERS_SENT') {
      // The work finished after the request had been answered (a 503 at REQUEST_TIMEOUT_MS):
      // its own answer has nowhere to go, and nothing failed.
      this.logger.warn({ path: req.path }, 'request finished after its answer was sent');
      return;
    }
    const { error, internal } = toAppError(exception);
    const status = statusOf(error.kind);
    if (internal) {
      this.logger.error({ err: exception, path: req.path }, 'unhandled error');
    } else if (status >= 500) {
      this.logger.warn({ code: codeOf(error.kind), path: req.path, reason: error.developerMessage, cause: unavailableCause(exception) }, 'request failed');
    }
    if (res.headersSent) return;
    // A request refused before the negotiation middleware ran is answered as it asked all the same.
    const ctx = requestContextOf(req) ?? negotiate(req, this.localizer).context;
    const language = ctx?.language ?? this.localizer.defaultLanguage;
    const body = wsErrorBody(error, this.localizer, language);
    res.status(status);
    setNegotiatedHeaders(req, res, language);
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    const challenge = status === 401 && !res.hasHeader('WWW-Authenticate') ? bearerChallenge(error.kind) : undefined;
    if (challenge) res.setHeader('WWW-Authenticate', challenge);
    res.type(answerTypeOf(ctx)).send(ctx?.format === 'xml' ? toXml('WSError', body) : JSON.stringify(body));
  }
}

/** The WSError document of `error`, its user message in `language`. */
export function wsErrorBody(error: AppError, localizer: Localizer, language: string): WsErrorBody {
  return {
    code: codeOf(error.kind),
    developerMessage: error.developerMessage,
    userMessage: localizer.message(error.kind, language, { ...error.args }),
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}
