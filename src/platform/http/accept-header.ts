import type { WireFormat } from './wire-format';

const CANDIDATES: readonly { format: WireFormat; type: string; subtype: string }[] = [
  { format: 'json', type: 'application', subtype: 'json' },
  { format: 'xml', type: 'application', subtype: 'xml' },
];

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
const UTF8 = /^"?utf-?8"?$/i;

interface MediaRange { type: string; subtype: string; q: number; order: number }

/**
 * The response format an `Accept` header asks for (RFC 9110 §12.5.1), or undefined when it
 * accepts neither JSON nor XML. For each format the most specific matching range decides
 * (`application/json` over `application/*` over `*\/*`, then the higher q); the format with
 * the higher q wins, then the more specific match, then the range named first, then JSON.
 * Parameters other than q do not keep a range from matching (`application/json;
 * charset=utf-8` is JSON), except a charset other than UTF-8: answers are always UTF-8,
 * so such a range counts as q=0. A range that cannot be read (no `/`, a malformed q) is skipped.
 */
export function negotiateFormat(accept: string | undefined): WireFormat | undefined {
  if (accept === undefined) return 'json';
  const ranges = parseAccept(accept);
  let best: { format: WireFormat; q: number; specificity: number; order: number } | undefined;
  for (const candidate of CANDIDATES) {
    let match: { q: number; specificity: number; order: number } | undefined;
    for (const range of ranges) {
      const specificity = specificityOf(range, candidate.type, candidate.subtype);
      if (specificity < 0) continue;
      if (!match || specificity > match.specificity || (specificity === match.specificity && range.q > match.q)) {
        match = { q: range.q, specificity, order: range.order };
      }
    }
    if (!match || match.q <= 0) continue;
    if (!best || match.q > best.q || (match.q === best.q && (match.specificity > best.specificity || (match.specificity === best.specificity && match.order < best.order)))) {
      best = { format: candidate.format, ...match };
    }
  }
  return best?.format;
}

function specificityOf(range: MediaRange, type: string, subtype: string): number {
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== type) return -1;
  if (range.subtype === '*') return 1;
  return range.subtype === subtype ? 2 : -1;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((entry, order) => {
    const [mediaType, ...params] = entry.split(';');
    const [type, subtype, extra] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype || extra !== undefined) return;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf('=');
      const name = param.slice(0, eq < 0 ? undefined : eq).trim().toLowerCase();
      const value = eq < 0 ? '' : param.slice(eq + 1).trim();
      if (name === 'q') {
        if (!QVALUE.test(value)) return;
        q = Number(value);
      } else if (name === 'charset' && !UTF8.test(value)) {
        q = 0;
      }
    }
    ranges.push({ type, subtype, q, order });
  });
  return ranges;
}
