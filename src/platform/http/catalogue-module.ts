import type { DynamicModule, Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { I18nModule } from 'nestjs-i18n';
import { CATALOGUE_PATH } from '../i18n/catalogues';
import { NegotiatedLanguageResolver } from '../i18n/negotiated-language.resolver';

/**
 * nestjs-i18n for its message catalogues only. Negotiation (with 406) is ours
 * (NegotiationMiddleware) and messages are translated with the negotiated language given
 * explicitly (Localizer): no per-request middleware of the module, and no global interceptor of
 * it either, which would put the language in an async context of its own (`I18nContext`) that
 * nothing reads, on every route, for ~3 µs of CPU a request.
 */
export function catalogueModule(): DynamicModule {
  const module = I18nModule.forRoot({
    fallbackLanguage: 'en',
    loaderOptions: { path: CATALOGUE_PATH, watch: false },
    resolvers: [NegotiatedLanguageResolver],
    disableMiddleware: true,
  });
  return { ...module, providers: (module.providers ?? []).filter((p) => !isGlobalInterceptor(p)) };
}

function isGlobalInterceptor(provider: Provider): boolean {
  return typeof provider === 'object' && provider !== null && 'provide' in provider && provider.provide === APP_INTERCEPTOR;
}
