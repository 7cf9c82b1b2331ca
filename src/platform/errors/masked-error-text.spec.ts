import { shortTexts } from '../../../test/support/short-texts';
import { framesStart, maskedErrorStack, maskedErrorText } from './masked-error-text';
import { maskedJsonText, maskedMysqlValues } from './quoted-text';
import { maskedUrlCredentials, maskedUrlPaths, maskedUrlQueries } from './url-secrets';

// The expressions the scans replace: their results are the scans', on small texts where they are quick.
const QUOTED_VALUE = /((?:\bentry|\bnear|:) )'[\s\S]*?'(?=(?: for key | for column | at line | at row |\.?$))/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)\?[^\s#]*/gi;
const URL_PATH = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*)\/[^\s?#]+/gi;
const JSON_QUOTED_TEXT = /(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?(?= is not valid JSON)/g;
const FRAMES = /\n\s+at /;

/** Every text of up to `length` of `pieces` whose scan and expression differ. */
function differing(pieces: string[], length: number, read: (text: string) => unknown, expected: (text: string) => unknown): string[] {
  return [...shortTexts(pieces, length)].filter((text) => read(text) !== expected(text));
}

describe('masked error text scans', () => {
  it('mask the values MySQL quoted as the expression masked them, on every short text of the pieces that matter', () => {
    const pieces = ["'", 'entry ', 'near ', ': ', ':', ' for key ', ' at row ', '.', 'a', 'x', ' '];
    expect(differing(pieces, 5, (text) => maskedMysqlValues(text, '…'), (text) => text.replace(QUOTED_VALUE, "$1'…'"))).toEqual([]);
  });

  it("mask URLs' credentials, paths and query strings as the expressions masked them, on every short text of the pieces that matter", () => {
    const pieces = ['a', '1', '.', ':', '//', '/', '@', '?', '#', ' ', '_', 'é'];
    expect(differing(pieces, 5, (text) => maskedUrlCredentials(text, '…'), (text) => text.replace(URL_CREDENTIALS, '$1…@'))).toEqual([]);
    expect(differing(pieces, 5, (text) => maskedUrlQueries(text, '…'), (text) => text.replace(URL_QUERY, '$1?…'))).toEqual([]);
    expect(differing(pieces, 5, (text) => maskedUrlPaths(text, '…'), (text) => text.replace(URL_PATH, '$1/…'))).toEqual([]);
  });

  it('mask the text JSON.parse quoted as the expression masked it, on every short text of the pieces that matter', () => {
    const pieces = ['"', '...', '.', ' is not valid JSON', ' is not', 'a', '\n'];
    expect(differing(pieces, 6, (text) => maskedJsonText(text, '…'), (text) => text.replace(JSON_QUOTED_TEXT, '"…"'))).toEqual([]);
  });

  it("find a stack's frames where the expression found them, on every short text of the pieces that matter", () => {
    const pieces = ['\n', ' ', '\u2028', 'at ', 'at', 'a', 't'];
    expect(differing(pieces, 6, framesStart, (text) => text.search(FRAMES))).toEqual([]);
  });

  it('mask messages as before', () => {
    expect(maskedErrorText("Duplicate entry 'O'Brien' for key 'email'")).toBe("Duplicate entry '…' for key 'email'");
    expect(maskedErrorText('includes credentials: https://hooks:s3cret@receiver.example/hook?token=abc#x')).toBe('includes credentials: https://…@receiver.example/…?…#x');
    expect(maskedErrorText('at HTTPS://u:p@h/x?y z, ftp+x-y.1://h?q')).toBe('at HTTPS://…@h/…?… z, ftp+x-y.1://h?…');
    expect(maskedErrorText(`Unexpected token 'a', ..."xample.com"... is not valid JSON`)).toBe(`Unexpected token 'a', "…" is not valid JSON`);
    expect(maskedErrorStack("Error: Duplicate entry 'x' for key 'k'\n    at f (a.js:1:1)", "Duplicate entry 'x' for key 'k'")).toBe("Error: Duplicate entry '…' for key 'k'\n    at f (a.js:1:1)");
  });

  it("keep of a URL only its scheme, host and port: a receiver's path may be its secret", () => {
    expect(maskedErrorText('fetch failed for https://hooks.example.com:8443/T000/B000/XXXXsecret (retrying)')).toBe('fetch failed for https://hooks.example.com:8443/… (retrying)');
    expect(maskedErrorText('token endpoint http://auth.example/oauth/XXXXsecret/token?x=1#f')).toBe('token endpoint http://auth.example/…?…#f');
    // Nothing to hide: a bare host, or its root, is written as it was.
    expect(maskedErrorText('at https://hooks.example.com/ and https://hooks.example.com')).toBe('at https://hooks.example.com/ and https://hooks.example.com');
  });

  it('read a long message of openings never closed at once', () => {
    // 1 MiB each: a message as long as a body BODY_LIMIT_BYTES allows. Every opening was read up
    // to the end before (64 KB took 1.5 s, 2.7 s, 1.8 s, 9 s and 5 s), so about half an hour.
    const size = 1024 * 1024;
    const values = ": 'x".repeat(size / 4);
    expect(maskedErrorText(values)).toBe(values);
    const scheme = 'a.'.repeat(size / 2);
    expect(maskedErrorText(scheme)).toBe(scheme);
    // The first is a URL whose authority is `a:` and whose path is all the rest.
    const urls = 'a://'.repeat(size / 4);
    expect(maskedErrorText(urls)).toBe('a://a:/…');
    expect(maskedErrorText('"'.repeat(size))).toBe('"'.repeat(size));
    expect(maskedErrorText(`${'"'.repeat(size)} is not valid JSON`)).toBe('"…" is not valid JSON');
    expect(maskedErrorStack('\n'.repeat(size), 'x')).toBe('x');
    expect(maskedErrorStack(`${'\n'.repeat(size)} at f`, 'x')).toBe(`x${'\n'.repeat(size)} at f`);
  });
});
