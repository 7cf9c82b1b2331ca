import express, { type Request, type Response } from 'express';
import { type IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/app-error';
import type { Localizer } from '../i18n/localizer';
import { negotiateLanguage } from '../i18n/accept-language';
import { NegotiationMiddleware } from './negotiation.middleware';
import { answerTypeOf, requestContextOf } from './wire-format';

const SUPPORTED = ['en', 'fr', 'de', 'es'];
const localizer = { defaultLanguage: 'en', supportedLanguages: () => SUPPORTED, negotiate: (h: string | undefined) => negotiateLanguage(h, SUPPORTED, 'en') } as unknown as Localizer;

/** An Express response that is never sent: real header handling (setHeader, vary) without a socket. */
function response(): Response {
  const res = new ServerResponse({ method: 'GET', httpVersionMajor: 1, httpVersionMinor: 1, headers: {} } as IncomingMessage);
  return Object.setPrototypeOf(res, express.response) as Response;
}

function negotiate(
  headers: Record<string, string>,
  originalUrl = '/system/ws/v19/agent/chats',
  res = response(),
): { error?: string; format?: string; contentLanguage?: unknown } {
  const req = { headers, originalUrl } as unknown as Request;
  let error: string | undefined;
  new NegotiationMiddleware(localizer).use(req, res, (err?: unknown) => {
    error = err instanceof AppError ? err.kind : undefined;
  });
  return { error, format: requestContextOf(req)?.format, contentLanguage: res.getHeader('content-language') };
}

/** The media type the answer goes out as, or the error kind of a refused Accept. */
function answerType(accept: string): string {
  const req = { headers: { accept }, originalUrl: '/system/ws/v19/agent/chats' } as unknown as Request;
  let error: string | undefined;
  new NegotiationMiddleware(localizer).use(req, response(), (err?: unknown) => {
    error = err instanceof AppError ? err.kind : undefined;
  });
  return error ?? answerTypeOf(requestContextOf(req));
}

describe('NegotiationMiddleware', () => {
  it('checks Accept before Accept-Language: a request refused by both is told 406-102', () => {
    expect(negotiate({ accept: 'text/html', 'accept-language': 'it' }).error).toBe('UnsupportedAccept');
    expect(negotiate({ accept: 'application/json', 'accept-language': 'it' }).error).toBe('InvalidAcceptLanguage');
  });

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

  it('refuses nothing on /metrics, whose Prometheus text is the same whatever Accept says', () => {
    const scraper = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5';
    for (const accept of ['text/plain;version=0.0.4', 'text/plain', scraper]) {
      expect(negotiate({ accept }, '/metrics')).toEqual({ error: undefined, format: 'json', contentLanguage: 'en' });
      expect(negotiate({ accept }, '/metrics/?x=1')).toMatchObject({ error: undefined });
    }
    expect(negotiate({ 'accept-language': 'it' }, '/metrics')).toMatchObject({ error: undefined });
    expect(negotiate({ accept: 'text/plain' }, '/system/metrics')).toMatchObject({ error: 'UnsupportedAccept' });
  });

  it('refuses nothing on /metrics spelled in another case, which the router serves as /metrics', () => {
    expect(negotiate({ accept: 'text/plain;version=0.0.4' }, '/METRICS')).toEqual({ error: undefined, format: 'json', contentLanguage: 'en' });
    expect(negotiate({ accept: 'text/plain', 'accept-language': 'it' }, '/Metrics/')).toMatchObject({ error: undefined });
  });

  it('adds Accept and Accept-Language to a Vary already set (Origin, by CORS) instead of replacing it', () => {
    const res = response();
    res.setHeader('Vary', 'Origin');
    negotiate({}, undefined, res);
    expect(res.getHeader('vary')).toBe('Origin, Accept, Accept-Language');
    // An error rendered later sets the negotiated headers again: nothing is repeated.
    negotiate({ accept: 'text/html' }, undefined, res);
    expect(res.getHeader('vary')).toBe('Origin, Accept, Accept-Language');
  });

  it.each([
    ['application/xml', 'application/xml'],
    ['text/xml', 'text/xml'],
    ['text/xml; charset=utf-8', 'text/xml'],
    ['TEXT/XML', 'text/xml'],
    ['text/*', 'text/xml'],
    ['application/xml, text/xml', 'application/xml'],
    ['text/xml, application/xml', 'text/xml'],
    ['application/xml;q=0.5, text/xml', 'text/xml'],
    ['text/xml;q=0.5, application/json', 'application/json'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['*/*;q=0.1, text/xml', 'text/xml'],
    ['text/html, */*;q=0.8', 'application/json'],
    ['text/xml; charset=iso-8859-1', 'UnsupportedAccept'],
    ['text/xml;q=0', 'UnsupportedAccept'],
    ['application/soap+xml', 'UnsupportedAccept'],
    ['application/atom+xml', 'UnsupportedAccept'],
    ['application/problem+json', 'UnsupportedAccept'],
    ['text/plain', 'UnsupportedAccept'],
    ['application/xml;q=1.000, application/json;q=0.999', 'application/xml'],
    ['text/xml;Q=0.5, application/json', 'application/json'],
    ['application/xml;charset="UTF-8";q=0.9, text/html', 'application/xml'],
    ['text/xml;q=0.5;charset=utf-8, application/json;q=0.4', 'text/xml'],
    ['application/json;;, text/xml;q=0.5', 'application/json'],
    ['application/json,,text/xml', 'application/json'],
    ['application/xml;foo="a,b;c", text/xml;q=0.5', 'text/xml'],
    ['text/xml;q=0.2, text/xml;q=0.8, application/json;q=0.5', 'text/xml'],
    ['text/xml;q=0, */*', 'application/json'],
    ['application/json;q=0, application/json;charset=utf-8', 'application/json'],
  ])('answers Accept %j as %s', (accept, expected) => {
    expect(answerType(accept)).toBe(expected);
  });

  // One rule for both headers: a q-value is 0 to 1 with at most three decimals (RFC 9110,
  // 12.4.2), and a malformed Accept is refused 406-102 as a malformed Accept-Language is 406-101,
  // rather than read as something the client did not write.
  it.each([
    'application/json, application/xml;q=2',
    'application/xml;q=1.5',
    'application/xml;q=0.1234',
    'application/xml;q=-0',
    'application/xml;q=',
    'application/xml;q',
    'application/xml;q=0.5;q=0.5',
    '*/xml',
    '*/*xml',
    'xml',
    'application/',
    'application/xml/x',
    'application/xml;charset',
    'application/xml;charset="utf-8',
    'application/xml, text/html;level=1;q=2',
    'application/xml junk',
  ])('refuses the malformed Accept %j with 406-102', (accept) => {
    expect(negotiate({ accept })).toEqual({ error: 'UnsupportedAccept', format: 'json', contentLanguage: 'en' });
  });

  it.each([
    ['2', false],
    ['1.0001', false],
    ['1.5', false],
    ['.5', false],
    ['1.', true],
    ['1.000', true],
    ['0.999', true],
  ])('takes q=%s in Accept and in Accept-Language alike (valid: %p)', (q, valid) => {
    expect(negotiate({ accept: `application/xml;q=${q}` }).error).toBe(valid ? undefined : 'UnsupportedAccept');
    expect(negotiate({ 'accept-language': `en;q=${q}` }).error).toBe(valid ? undefined : 'InvalidAcceptLanguage');
  });
});
