import { Test } from '@nestjs/testing';
import { I18nModule, I18nService } from 'nestjs-i18n';
import type { AppConfig } from '../config/app-config';
import { CATALOGUE_PATH } from './catalogues';
import { Localizer } from './localizer';
import { NegotiatedLanguageResolver } from './negotiated-language.resolver';

describe('Localizer.message', () => {
  let localizer: Localizer;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [I18nModule.forRoot({ fallbackLanguage: 'en', loaderOptions: { path: CATALOGUE_PATH, watch: false }, resolvers: [NegotiatedLanguageResolver], disableMiddleware: true, logging: false })],
    }).compile();
    localizer = new Localizer(module.get(I18nService), { DEFAULT_LANGUAGE: 'en' } as AppConfig);
  });

  it('puts each value in its placeholder, in the language asked for', () => {
    expect(localizer.message('UnsupportedParameter', 'en', { param: 'foo' })).toBe('The parameter foo is not supported.');
    expect(localizer.message('UnsupportedParameter', 'fr', { param: 'foo' })).toBe("Le paramètre foo n'est pas pris en charge.");
    expect(localizer.message('ChatLimitOutOfRange', 'de', { min: 1, max: 100 })).toContain('1');
  });

  it.each([
    ['a reference to another message', '$t(errors.InternalError)'],
    ['a reference with malformed arguments', '$t(errors.UnsupportedParameter,{"a":)'],
    ['a placeholder', '{param}'],
  ])('repeats a value holding %s as it is, never reading it as a reference or a placeholder', (_what, value) => {
    expect(localizer.message('UnsupportedParameter', 'en', { param: value })).toBe(`The parameter ${value} is not supported.`);
    expect(localizer.message('BodyInvalid', 'es', { field: value })).toBe(`El campo ${value} falta o no es válido.`);
  });

  it('keeps a placeholder with no value as written, as the API description shows the message', () => {
    expect(localizer.message('ReferenceNotFound', 'en', {})).toBe('The {resource} {id} given in {field} does not exist.');
  });
});
