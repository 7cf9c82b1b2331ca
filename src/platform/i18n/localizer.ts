import { Injectable } from '@nestjs/common';
import { I18nService } from 'nestjs-i18n';
import { AppConfig } from '../config/app-config';
import { negotiateLanguage } from './accept-language';

/** `{name}` in a catalogue message: where the value of `args.name` goes. */
const PLACEHOLDER = /\{(\w+)\}/g;

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

  /**
   * The message of `kind` in `language`, each placeholder replaced by its value as it is, once.
   * nestjs-i18n is asked for the text alone: given values, it reads `$t(key, {json})` in the
   * text it formatted as a reference to another message, so a value the client sent (a parameter
   * or member name) could pull other messages into the answer, and malformed JSON there logged
   * an error. A placeholder with no value stays as written (`{param}`), as the API description
   * shows the messages.
   */
  message(kind: string, language: string, args: Record<string, string | number>): string {
    const text = this.i18n.translate(`errors.${kind}`, { lang: language }) as string;
    return text.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(args, name) && args[name] !== undefined ? String(args[name]) : placeholder));
  }
}
