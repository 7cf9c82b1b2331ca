import { Logger } from '@nestjs/common';
import express, { type Request, type Response } from 'express';
import request from 'supertest';
import { AppError } from '../errors/app-error';
import { ERROR_CATALOGUE } from '../errors/error-catalogue';
import type { Localizer } from '../i18n/localizer';
import { type RequestContext, setRequestContext } from './wire-format';
import { WsErrorRenderer } from './ws-error.renderer';

describe('WsErrorRenderer', () => {
  const localizer = { defaultLanguage: 'en', message: () => 'm' } as unknown as Localizer;
  const req = { path: '/start' } as Request;
  let error: jest.SpyInstance;
  let warn: jest.SpyInstance;

  beforeEach(() => {
    error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('takes a late answer of a request already answered (timed out) for what it is, not an internal error', () => {
    const res = { headersSent: true, status: jest.fn(), send: jest.fn() } as unknown as Response;
    const late = Object.assign(new Error('Cannot set headers after they are sent to the client'), { code: 'ERR_HTTP_HEADERS_SENT' });
    new WsErrorRenderer(localizer).render(req, res, late);
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith({ path: '/start' }, 'request finished after its answer was sent');
    expect(res.status).not.toHaveBeenCalled();
  });

  it('still reports any other error thrown after the answer as internal', () => {
    const res = { headersSent: true, status: jest.fn(), send: jest.fn() } as unknown as Response;
    new WsErrorRenderer(localizer).render(req, res, new Error('boom'));
    expect(error).toHaveBeenCalled();
    expect(res.status).not.toHaveBeenCalled();
  });

  describe('on the wire', () => {
    const localized = { defaultLanguage: 'en', message: (kind: string, language: string) => `${language}: ${kind}` } as unknown as Localizer;

    /** Answers every request with `thrown`, rendered for a request negotiated as `ctx`. */
    function answering(thrown: unknown, ctx: RequestContext, before?: express.RequestHandler) {
      const app = express();
      if (before) app.use(before);
      app.use((rq, _rs, next) => {
        setRequestContext(rq, ctx);
        next(thrown);
      });
      app.use((err: unknown, rq: Request, rs: Response, _next: express.NextFunction) => new WsErrorRenderer(localized).render(rq, rs, err));
      return request(app).post('/start');
    }

    const inProgress = new AppError('IdempotencyRequestInProgress', 'still running', 'Idempotency-Key', {}, { 'Retry-After': '1' });
    const { code, status } = ERROR_CATALOGUE.IdempotencyRequestInProgress;

    it('writes a WSError in JSON with its members in the documented order, as UTF-8, with its own and the negotiated headers', async () => {
      const res = await answering(inProgress, { format: 'json', language: 'de' });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(JSON.stringify({ code, developerMessage: 'still running', userMessage: 'de: IdempotencyRequestInProgress', details: 'Idempotency-Key' }));
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-language']).toBe('de');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.vary).toBe('Accept, Accept-Language');
    });

    it.each([
      ['application/xml', undefined],
      ['application/xml', 'application/xml'],
      ['text/xml', 'text/xml'],
    ] as const)('writes a WSError in XML as %s when Accept chose %s: root WSError, the same children in the same order', async (type, answerType) => {
      const res = await answering(inProgress, { format: 'xml', answerType, language: 'en' });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe(`${type}; charset=utf-8`);
      expect(res.text).toBe(
        `<?xml version="1.0" encoding="UTF-8"?><WSError><code>${code}</code><developerMessage>still running</developerMessage>` +
          '<userMessage>en: IdempotencyRequestInProgress</userMessage><details>Idempotency-Key</details></WSError>',
      );
      expect(res.headers['retry-after']).toBe('1');
    });

    it('leaves details out, in JSON and in XML, when nothing in the request is at fault', async () => {
      const refused = new AppError('ServiceUnavailable', 'down');
      const json = await answering(refused, { format: 'json', language: 'en' });
      expect(Object.keys(JSON.parse(json.text))).toEqual(['code', 'developerMessage', 'userMessage']);
      const xml = await answering(refused, { format: 'xml', language: 'en' });
      expect(xml.text).not.toContain('details');
    });

    it('answers an internal failure as 500 with neither its message nor its stack', async () => {
      const res = await answering(new Error('secret table name'), { format: 'json', language: 'en' });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ code: ERROR_CATALOGUE.InternalError.code, developerMessage: 'internal error', userMessage: 'en: InternalError' });
    });

    it('challenges a 401 for a bearer token, unless the route has set its own challenge', async () => {
      const missing = new AppError('AuthorizationMissing', 'no Authorization');
      const bearer = await answering(missing, { format: 'json', language: 'en' });
      expect([bearer.status, bearer.headers['www-authenticate']]).toEqual([401, 'Bearer']);
      const own = await answering(missing, { format: 'json', language: 'en' }, (_rq, rs, next) => {
        rs.setHeader('WWW-Authenticate', 'Basic realm="x"');
        next();
      });
      expect(own.headers['www-authenticate']).toBe('Basic realm="x"');
    });
  });
});
