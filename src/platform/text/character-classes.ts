/**
 * Character classes of regular expressions without the `u` flag, for scans that replace them:
 * one UTF-16 code unit each, as those expressions read text.
 */

/** `\s`: white space and line terminators, as ECMAScript defines them. */
export function isWhiteSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A-Z or a-z: `[a-z]` with the `i` flag, which maps no other character to them without `u`. */
export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** `\w`: A-Z, a-z, 0-9 and `_`, what `\b` tells apart from the rest. */
export function isWordCharacter(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** Whether a word starts at `at`: `\b` before a word character. */
export function startsWord(text: string, at: number): boolean {
  return isWordCharacter(text.charCodeAt(at)) && (at === 0 || !isWordCharacter(text.charCodeAt(at - 1)));
}

/** Whether `text` holds `word` at `at`, ASCII letters in either case (the `i` flag without `u`). */
export function hasAsciiWordAt(text: string, at: number, word: string): boolean {
  if (at + word.length > text.length) return false;
  for (let i = 0; i < word.length; i++) {
    if (asciiLower(text.charCodeAt(at + i)) !== asciiLower(word.charCodeAt(i))) return false;
  }
  return true;
}

function asciiLower(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}
