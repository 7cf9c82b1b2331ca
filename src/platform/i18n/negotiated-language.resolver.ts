import { Injectable } from '@nestjs/common';
import type { I18nResolver } from 'nestjs-i18n';

/**
 * The language is negotiated by NegotiationMiddleware, which also sets it on the request
 * (`i18nLang`), and nestjs-i18n asks its resolvers only when the request names none: this one
 * then leaves it at the fallback. It exists so that nestjs-i18n has a resolver: without one it
 * writes a start-up notice through Nest's default logger, a coloured line that is not JSON.
 */
@Injectable()
export class NegotiatedLanguageResolver implements I18nResolver {
  resolve(): undefined {
    return undefined;
  }
}
