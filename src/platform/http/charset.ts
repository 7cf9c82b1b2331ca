const UTF8 = /^utf-8$/i;
const CHARSET = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]*))/gi;

/**
 * The first charset a Content-Type value declares other than UTF-8, if any. Bodies are
 * UTF-8 and only the registered name says so: any other charset, the unregistered spelling
 * `utf8` included, is refused rather than used to decode. Every `charset` parameter counts,
 * since parsers differ on which of two they use.
 */
export function nonUtf8Charset(contentType: string): string | undefined {
  for (const match of contentType.matchAll(CHARSET)) {
    const charset = match[1] ?? match[2];
    if (!UTF8.test(charset)) return charset;
  }
  return undefined;
}
