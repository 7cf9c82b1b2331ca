import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Localizer } from '../i18n/localizer';
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
});
