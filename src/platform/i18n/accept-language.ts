/**
 * Accept-Language negotiation (RFC 9110 §12.5.4 with the basic filtering of RFC 4647):
 * q-values, case-insensitive codes, a bare language matching its regional variants,
 * and `*` standing for every supported language no other range names, the default first
 * (so `*, en;q=0` is any language but English). Returns `undefined` when the header is
 * malformed or names no supported language, which the caller answers with 406.
 */
const RANGE = /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

interface LanguageRange { range: string; q: number; order: number }

export function parseAcceptLanguage(header: string): LanguageRange[] | undefined {
  const ranges: LanguageRange[] = [];
  const items = header.split(',');
  for (let i = 0; i < items.length; i++) {
    const item = items[i].trim();
    if (item === '') {
      if (items.length === 1) return undefined;
      continue; // RFC 9110 allows empty list elements
    }
    const [rawRange, ...params] = item.split(';');
    const range = rawRange.trim();
    if (!RANGE.test(range)) return undefined;
    let q = 1;
    for (const param of params) {
      const [name, value, extra] = param.split('=').map((s) => s.trim());
      if (extra !== undefined || name.toLowerCase() !== 'q' || value === undefined || !QVALUE.test(value)) return undefined;
      q = Number(value);
    }
    ranges.push({ range: range.toLowerCase(), q, order: i });
  }
  return ranges.length > 0 ? ranges : undefined;
}

/**
 * Picks the best supported locale. `supported` holds canonical codes (e.g. `en`, `pt-BR`);
 * the returned value is one of them.
 */
export function negotiateLanguage(
  header: string | undefined,
  supported: readonly string[],
  defaultLanguage: string,
): string | undefined {
  if (header === undefined || header.trim() === '') return defaultLanguage;
  const ranges = parseAcceptLanguage(header);
  if (!ranges) return undefined;
  const lower = supported.map((s) => s.toLowerCase());
  // RFC 9110 §12.5.4: `*` matches only the languages that no other range in the header matches.
  const named = new Set(ranges.filter((r) => r.range !== '*').flatMap((r) => matching(r.range, lower)));
  const others = [defaultLanguage.toLowerCase(), ...lower].filter((s) => !named.has(s));
  const matches = (range: string): string[] => (range === '*' ? others : matching(range, lower));
  // A refusal (q=0) takes only what the range itself matches: `en-US;q=0, en` refuses American
  // English, not English, so it does not fall back to its language as a preference does.
  const excluded = new Set(ranges.filter((r) => r.q === 0).flatMap((r) => (r.range === '*' ? others : filtered(r.range, lower))));
  const candidates = ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of candidates) {
    const match = matches(r.range).find((s) => !excluded.has(s));
    if (match !== undefined) return supported[lower.indexOf(match)];
  }
  return undefined;
}

/** RFC 4647 basic filtering: the range itself, and a bare language matches its regions. */
function filtered(range: string, supportedLower: string[]): string[] {
  return supportedLower.filter((s) => s === range || s.startsWith(range + '-'));
}

/** What a preference matches: besides `filtered`, a regional range falls back to its language. */
function matching(range: string, supportedLower: string[]): string[] {
  const base = range.split('-')[0];
  const fallback = range.includes('-') ? supportedLower.filter((s) => s === base) : [];
  return [...filtered(range, supportedLower), ...fallback];
}
