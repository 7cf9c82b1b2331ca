import { createHash } from 'node:crypto';
import { shortTexts } from '../../../test/support/short-texts';
import { wireBoolean } from '../http/wire-boolean';
import { pathOf } from '../http/negotiation.middleware';
import { loginSubjectDigest } from '../security/login-subject';
import { withoutLeading, withoutTrailing } from './text-ends';

describe('withoutTrailing and withoutLeading', () => {
  it('remove what the expressions they replace removed, on every short text', () => {
    const differing = [...shortTexts(' \t\r\n/ax', 6)].filter(
      (text) =>
        withoutTrailing(text, ' ') !== text.replace(/ +$/, '') ||
        withoutTrailing(text, '/') !== text.replace(/\/+$/, '') ||
        withoutTrailing(withoutLeading(text, ' \t\r\n'), ' \t\r\n') !== text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''),
    );
    expect(differing).toEqual([]);
  });

  it('leave the values their callers read as before', () => {
    expect(loginSubjectDigest('alice  ')).toBe(loginSubjectDigest('alice'));
    expect(loginSubjectDigest(' alice')).not.toBe(loginSubjectDigest('alice'));
    expect(wireBoolean(' \r\n true\t', true)).toBe(true);
    expect(wireBoolean(' 0 ', false)).toBe(' 0 ');
    expect(pathOf({ url: '/a/start//?x=1' })).toBe('/a/start');
    expect(pathOf({ url: '/' })).toBe('/');
    expect(pathOf({ url: '//' })).toBe('');
  });

  it('read a long run followed by one other character at once', () => {
    // 1 MiB, a body BODY_LIMIT_BYTES allows (up to 10 MB): the name of a login form and an XML
    // boolean, read before and after the login. Minutes before (64 KiB took 1.8 s and 2.5 s).
    const run = 'a' + ' '.repeat(1024 * 1024) + 'a';
    expect(loginSubjectDigest(run)).toBe(createHash('sha256').update(run).digest('base64url'));
    expect(wireBoolean(run, true)).toBe(run);
  });
});
