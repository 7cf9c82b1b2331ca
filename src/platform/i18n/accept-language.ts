import { parseWeightedList } from '../http/weighted-list';

/**
 * Accept-Language negotiation (RFC 9110 §12.5.4 with the basic filtering of RFC 4647):
 * q-values, case-insensitive codes, a bare language matching its regional variants,
 * and `*` standing for every supported language no other range names, the default first
 * (so `*, en;q=0` is any language but English). Returns `undefined` when the header is
 * malformed or names no supported language, which the caller answers with 406.
 */
const RANGE = /^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$/;

interface LanguageRange { range: string; q: number; order: number }

/** The ranges of `header`, or `undefined` when it is malformed: the list syntax and q-values of Accept (weighted-list.ts), a weight the only parameter. */
export function parseAcceptLanguage(header: string): LanguageRange[] | undefined {
  const elements = parseWeightedList(header);
  if (elements === undefined || elements.length === 0) return undefined;
  const ranges: LanguageRange[] = [];
  for (const { value, params, q, order } of elements) {
    if (!RANGE.test(value) || params.length > 0) return undefined;
    ranges.push({ range: value.toLowerCase(), q, order });
  }
  return ranges;
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
