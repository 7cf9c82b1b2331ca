import { APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { I18nService } from 'nestjs-i18n';
import { catalogueModule } from './catalogue-module';

describe('catalogueModule', () => {
  it('installs no global interceptor: no route pays for a language context nothing reads', () => {
    const providers = catalogueModule().providers ?? [];
    expect(providers.some((p) => typeof p === 'object' && 'provide' in p && p.provide === APP_INTERCEPTOR)).toBe(false);
  });

  it('still gives the message catalogues', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [catalogueModule()] }).compile();
    await moduleRef.init();
    const i18n = moduleRef.get(I18nService);
    expect(i18n.getSupportedLanguages().length).toBeGreaterThan(1);
    await moduleRef.close();
  });
});
