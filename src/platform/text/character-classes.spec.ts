import { hasAsciiWordAt, isAsciiLetter, isWhiteSpace, isWordCharacter, startsWord } from './character-classes';

describe('character classes', () => {
  it('hold the code units the expressions without the u flag hold', () => {
    const differing: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      if (isWhiteSpace(code) !== /\s/.test(c) || isWordCharacter(code) !== /\w/.test(c) || isAsciiLetter(code) !== /[a-z]/i.test(c)) differing.push(code);
      if (hasAsciiWordAt(`<${c}`, 1, 'k') !== /^<k/i.test(`<${c}`) || hasAsciiWordAt(`<${c}`, 1, 's') !== /^<s/i.test(`<${c}`)) differing.push(code);
    }
    expect(differing).toEqual([]);
  });

  it('tell where a word starts as \\b does before a word character', () => {
    for (const text of ['a', ' a', '.a', '_a', 'ba', '1a', 'é a', 'éa']) {
      expect(startsWord(text, text.length - 1)).toBe(/\ba$/.test(text));
    }
    expect(hasAsciiWordAt('<SCRIPT', 1, 'script')).toBe(true);
    expect(hasAsciiWordAt('<SCRIP', 1, 'script')).toBe(false);
  });
});
