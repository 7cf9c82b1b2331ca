import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { AppConfig } from '../config/app-config';
import { negotiateLanguage } from './accept-language';

/** Supported locales are the catalogues shipped under src/i18n: one folder per language. */
@Injectable()
export class Localizer {
  private readonly supported: string[];

  constructor(private readonly i18n: I18nService, config: AppConfig) {
    this.supported = i18n.getSupportedLanguages();
    this.defaultLanguage = config.DEFAULT_LANGUAGE;
    if (!this.supported.includes(this.defaultLanguage)) {
      throw new Error(`DEFAULT_LANGUAGE=${this.defaultLanguage} has no catalogue; supported: ${this.supported.join(', ')}`);
    }
  }

  readonly defaultLanguage: string;

  supportedLanguages(): readonly string[] {
    return this.supported;
  }

  /** `undefined` means 406: malformed, or no supported language acceptable. */
  negotiate(acceptLanguage: string | undefined): string | undefined {
    return negotiateLanguage(acceptLanguage, this.supported, this.defaultLanguage);
  }

  message(kind: string, language: string, args: Record<string, string | number>): string {
    return this.i18n.translate(`errors.${kind}`, { lang: language, args }) as string;
  }
}
