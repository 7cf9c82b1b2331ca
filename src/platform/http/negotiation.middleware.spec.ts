import type { Request, Response } from 'express';
import { AppError } from '../errors/app-error';
import type { Localizer } from '../i18n/localizer';
import { negotiateLanguage } from '../i18n/accept-language';
import { NegotiationMiddleware } from './negotiation.middleware';
import { requestContextOf } from './wire-format';

const SUPPORTED = ['en', 'fr', 'de', 'es'];
const localizer = { defaultLanguage: 'en', supportedLanguages: () => SUPPORTED, negotiate: (h: string | undefined) => negotiateLanguage(h, SUPPORTED, 'en') } as unknown as Localizer;

function negotiate(headers: Record<string, string>): { error?: string; format?: string; contentLanguage?: unknown } {
  const req = { headers } as unknown as Request;
  const set: Record<string, unknown> = {};
  const res = { setHeader: (name: string, value: unknown) => (set[name.toLowerCase()] = value) } as unknown as Response;
  let error: string | undefined;
  new NegotiationMiddleware(localizer).use(req, res, (err?: unknown) => {
    error = err instanceof AppError ? err.kind : undefined;
  });
  return { error, format: requestContextOf(req)?.format, contentLanguage: set['content-language'] };
}

describe('NegotiationMiddleware', () => {
  it('sends the negotiated language in Content-Language on every answer', () => {
    expect(negotiate({ 'accept-language': 'de-AT, en;q=0.5' })).toEqual({ error: undefined, format: 'json', contentLanguage: 'de' });
    expect(negotiate({})).toEqual({ error: undefined, format: 'json', contentLanguage: 'en' });
  });

  it('answers a refused Accept-Language in the default language', () => {
    expect(negotiate({ 'accept-language': 'it' })).toEqual({ error: 'InvalidAcceptLanguage', format: 'json', contentLanguage: 'en' });
  });

  it('takes media-type parameters in Accept', () => {
    expect(negotiate({ accept: 'application/xml; charset=utf-8' })).toMatchObject({ error: undefined, format: 'xml' });
    expect(negotiate({ accept: 'application/json; charset=iso-8859-1' })).toMatchObject({ error: 'UnsupportedAccept', format: 'json' });
  });
});
