/*
 * The parts of the URLs an error message quotes that may hold a receiver's secrets, found by
 * scans rather than regular expressions: an expression reading a scheme from every letter of a
 * run of letters and dots reads the rest of the run from each, and one reading a URL up to its
 * query string the rest of the message from each URL without one, so a message of `a.` repeated
 * (or of `a://`) cost the square of its length (64 KB: 2.7 s, 1.8 s), on every error logged.
 */
import { isAsciiLetter, isWhiteSpace, startsWord } from '../text/character-classes';
import { nextIndexesOf } from '../text/next-index';
import { replacedParts } from '../text/replaced-parts';

/**
 * `message` with each URL's credentials written as `mask`: after `scheme://`, up to the last `@`
 * before white space, `/`, `?`, `#` or the end (a password may hold an `@`).
 */
export function maskedUrlCredentials(message: string, mask: string): string {
  const schemes = new Schemes(message);
  const authorityEnds = nextIndexesOf(message, (code) => isWhiteSpace(code) || code === 0x2f || code === 0x3f || code === 0x23);
  const lastAts = lastIndexesOf(message, '@');
  return replacedParts(message, (at) => {
    const authority = schemes.separatorAt(at) + 3;
    if (authority < 3) return undefined;
    const end = authorityEnds[authority];
    const lastAt = lastAts[end < 0 ? message.length : end];
    return lastAt < authority ? undefined : { start: at, end: lastAt + 1, replacement: `${message.slice(at, authority)}${mask}@` };
  });
}

/**
 * `message` with each URL's path written as `/mask`: after `scheme://` and an authority (what holds
 * no white space, `/`, `?` or `#`), a `/` and up to white space, `?`, `#` or the end, when it is more
 * than the `/`. A receiver's path may be its secret (`https://hooks.example.com/T000/B000/XXXX`, a
 * chat service's incoming webhook, takes whoever knows it); the scheme, host and port are kept: they
 * say which receiver failed.
 */
export function maskedUrlPaths(message: string, mask: string): string {
  const schemes = new Schemes(message);
  const authorityEnds = nextIndexesOf(message, (code) => isWhiteSpace(code) || code === 0x2f || code === 0x3f || code === 0x23);
  const pathEnds = nextIndexesOf(message, (code) => isWhiteSpace(code) || code === 0x3f || code === 0x23);
  return replacedParts(message, (at) => {
    const authority = schemes.separatorAt(at) + 3;
    if (authority < 3) return undefined;
    const path = authorityEnds[authority];
    if (path < 0 || message[path] !== '/') return undefined;
    const found = pathEnds[path + 1];
    const end = found < 0 ? message.length : found;
    return end === path + 1 ? undefined : { start: at, end, replacement: `${message.slice(at, path)}/${mask}` };
  });
}

/**
 * `message` with each URL's query string written as `?mask`: after `scheme://` and what holds no
 * white space, `?` or `#`, a `?` and up to white space, `#` or the end.
 */
export function maskedUrlQueries(message: string, mask: string): string {
  const schemes = new Schemes(message);
  const pathEnds = nextIndexesOf(message, (code) => isWhiteSpace(code) || code === 0x3f || code === 0x23);
  const queryEnds = nextIndexesOf(message, (code) => isWhiteSpace(code) || code === 0x23);
  return replacedParts(message, (at) => {
    const path = schemes.separatorAt(at) + 3;
    if (path < 3) return undefined;
    const query = pathEnds[path];
    if (query < 0 || message[query] !== '?') return undefined;
    const end = queryEnds[query + 1];
    return { start: at, end: end < 0 ? message.length : end, replacement: `${message.slice(at, query)}?${mask}` };
  });
}

/** Where a URL's `://` is, read from a scheme starting at each position: a whole word, a letter, then letters, digits, `+`, `.` or `-`. */
class Schemes {
  private readonly runEnds: Int32Array;

  constructor(private readonly message: string) {
    this.runEnds = nextIndexesOf(message, (code) => !isSchemeCharacter(code));
  }

  /** The position of the `://` after a scheme starting at `at`, or -1. */
  separatorAt(at: number): number {
    if (!isAsciiLetter(this.message.charCodeAt(at)) || !startsWord(this.message, at)) return -1;
    const end = this.runEnds[at + 1];
    return end >= 0 && this.message.startsWith('://', end) ? end : -1;
  }
}

function isSchemeCharacter(code: number): boolean {
  return isAsciiLetter(code) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2e || code === 0x2d;
}

/** For each position of `text` (and its end), the last `char` before it, or -1. */
function lastIndexesOf(text: string, char: string): Int32Array {
  const last = new Int32Array(text.length + 1);
  last[0] = -1;
  for (let i = 0; i < text.length; i++) last[i + 1] = text[i] === char ? i : last[i];
  return last;
}
