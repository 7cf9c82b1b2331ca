import { negotiateLanguage, parseAcceptLanguage } from './accept-language';

const supported = ['en', 'fr', 'de', 'es', 'pt-BR'];

describe('negotiateLanguage', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['FR', 'fr'],
    ['de-AT', 'de'],
    ['pt', 'pt-BR'],
    ['pt-br', 'pt-BR'],
    ['*', 'en'],
    ['it, fr;q=0.5', 'fr'],
    ['fr;q=0.4, es;q=0.9', 'es'],
    ['es;q=1.0, de;q=1', 'es'],
    ['*;q=0.1, de;q=0.5', 'de'],
    ['en;q=0, fr;q=0.1', 'fr'],
    ['*, en;q=0', 'fr'],
    ['en;q=0, *', 'fr'],
    ['en;q=0.1, *', 'fr'],
    ['*, en;q=0, fr;q=0', 'de'],
    ['fr, *;q=0', 'fr'],
    ['*;q=0, de', 'de'],
    ['en, *;q=0', 'en'],
    ['en-US;q=0, en', 'en'],
    ['fr-CA;q=0, de;q=0.5, fr', 'fr'],
    ['de-AT, de-CH;q=0', 'de'],
    ['pt-br;q=0, pt, fr', 'fr'],
  ])('picks the best supported language for %p', (header, expected) => {
    expect(negotiateLanguage(header, supported, 'en')).toBe(expected);
  });

  // A refusal takes only what its range matches, so it never falls back from a region to its language: `de-AT;q=0` leaves nothing acceptable.
  it.each(['it', 'zh-CN, ja', 'fr;q=0', '*;q=0', 'de-AT;q=0', 'en-US;q=0'])('finds no supported language in %p', (header) => {
    expect(negotiateLanguage(header, supported, 'en')).toBeUndefined();
  });

  it.each(['en;q=2', 'en;q=0.1234', 'en;level=1', 'en_US', '123', 'en;q', ';q=1', 'a-verylongsubtag', ','])(
    'rejects the malformed header %p',
    (header) => {
      expect(parseAcceptLanguage(header)).toBeUndefined();
      expect(negotiateLanguage(header, supported, 'en')).toBeUndefined();
    },
  );
});
