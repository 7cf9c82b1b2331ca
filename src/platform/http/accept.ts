import type { AnswerType } from './wire-format';
import { isToken, parseWeightedList, type WeightedElement } from './weighted-list';

/**
 * The formats answers come in, in the order a tie between them is settled (any type at all is JSON). XML
 * is offered under both names a request body may carry it as, and the answer is sent under
 * the one Accept chose (a client that accepts only `text/xml` gets no `application/xml`).
 * Other `+xml` and `+json` types are other vocabularies, refused as request bodies too.
 */
const OFFERED: readonly AnswerType[] = ['application/json', 'application/xml', 'text/xml'];

interface MediaRange extends WeightedElement {
  type: string;
  subtype: string;
}

/**
 * The media type Accept chooses among OFFERED (RFC 9110, 12.5.1), or `undefined` when it is
 * malformed or accepts none of them. Each offered type takes the q of the most specific range
 * matching it (`text/xml` before `text/*` before any type, a charset parameter more
 * specific still); the highest q wins, then the more specific range, then the range named first, then
 * OFFERED's order; q=0 refuses. Answers are always UTF-8, so a range naming another charset, or
 * another parameter, matches nothing.
 */
export function chooseAnswerType(accept: string): AnswerType | undefined {
  const ranges = parseAccept(accept);
  if (ranges === undefined) return undefined;
  let best: { type: AnswerType; q: number; specificity: number; order: number } | undefined;
  for (const type of OFFERED) {
    const match = mostSpecificRange(type, ranges);
    if (match === undefined || match.range.q === 0) continue;
    const candidate = { type, q: match.range.q, specificity: match.specificity, order: match.range.order };
    if (best === undefined || (candidate.q - best.q || candidate.specificity - best.specificity || best.order - candidate.order) > 0) best = candidate;
  }
  return best?.type;
}

/**
 * The ranges of an Accept value, or `undefined` when one is not a media range (RFC 9110,
 * 12.5.1): any type, `type/*` or `type/subtype`, each a token; a subtype under the wildcard
 * type (star, slash, `xml`) names no range.
 */
function parseAccept(accept: string): MediaRange[] | undefined {
  const elements = parseWeightedList(accept);
  if (elements === undefined) return undefined;
  const ranges: MediaRange[] = [];
  for (const element of elements) {
    const [type, subtype, ...rest] = element.value.split('/');
    if (subtype === undefined || rest.length > 0 || !isToken(type) || !isToken(subtype)) return undefined;
    if (type === '*' && subtype !== '*') return undefined;
    ranges.push({ ...element, type: type.toLowerCase(), subtype: subtype.toLowerCase() });
  }
  return ranges;
}

/** The range deciding `offered`'s q, with its specificity: type named 4, subtype named 2, charset named 1. */
function mostSpecificRange(offered: AnswerType, ranges: MediaRange[]): { range: MediaRange; specificity: number } | undefined {
  const [type, subtype] = offered.split('/');
  let found: { range: MediaRange; specificity: number } | undefined;
  for (const range of ranges) {
    if (range.type !== '*' && range.type !== type) continue;
    if (range.subtype !== '*' && range.subtype !== subtype) continue;
    const params = range.params.filter((p) => p.name !== '');
    if (!params.every((p) => p.name === 'charset' && p.value.toLowerCase() === 'utf-8')) continue;
    const specificity = (range.type === type ? 4 : 0) + (range.subtype === subtype ? 2 : 0) + (params.length > 0 ? 1 : 0);
    // Of two ranges as specific (`text/xml;q=0.2, text/xml;q=0.8`), the higher q decides.
    if (found === undefined || specificity > found.specificity || (specificity === found.specificity && range.q > found.range.q)) found = { range, specificity };
  }
  return found;
}
