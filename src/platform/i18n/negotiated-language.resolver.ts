import { Injectable } from '@nestjs/common';
import type { I18nResolver } from 'nestjs-i18n';

/**
 * The language is negotiated by NegotiationMiddleware and given to each translation, and
 * nestjs-i18n's own per-request resolution is not installed (http/catalogue-module.ts): this
 * resolver resolves nothing. It exists so that nestjs-i18n has a resolver: without one it
 * writes a start-up notice through Nest's default logger, a coloured line that is not JSON.
 */
@Injectable()
export class NegotiatedLanguageResolver implements I18nResolver {
  resolve(): undefined {
    return undefined;
  }
}
