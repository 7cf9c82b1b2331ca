/**
 * The list syntax Accept and Accept-Language share (RFC 9110, 5.6.1 and 12.4.2): elements
 * separated by commas, each a value followed by `;`-separated parameters, one of which may be
 * the weight `q`. Both headers are read by this one parser, so a q-value means the same in
 * both and a malformed one is refused by both (406-102, 406-101) rather than read as more or
 * less than the client wrote.
 */

/** RFC 9110, 5.6.2: the characters of a token. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** RFC 9110, 12.4.2: 0 to 1 with at most three decimals (`0.5`, `1.000`, `1.`; not `.5`, `2`, `0.1234`). */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;
/** RFC 9110, 5.6.4: a quoted string, its backslash escapes included. */
const QUOTED_STRING = /^"((?:[^"\\]|\\.)*)"$/s;

export interface Parameter {
  /** In lower case (parameter names are case-insensitive); empty for an empty parameter (`;;`). */
  name: string;
  /** As sent, a quoted string unquoted. */
  value: string;
}

export interface WeightedElement {
  /** What precedes the parameters, trimmed, as sent. */
  value: string;
  /** The parameters but the weight, in their order. */
  params: Parameter[];
  q: number;
  /** Its position in the list, empty elements counted. */
  order: number;
}

export function isToken(text: string): boolean {
  return TOKEN.test(text);
}

/** The weight `text` spells, or `undefined` when it is no q-value. */
export function parseQValue(text: string): number | undefined {
  return QVALUE.test(text) ? Number(text) : undefined;
}

/**
 * The elements of `header`, empty ones left out (RFC 9110 allows them), or `undefined` when it
 * is malformed: a parameter that is not `name=value` (a token, then a token or a quoted
 * string), a weight that is no q-value or given twice, a quoted string left open. The value of
 * an element is left to the caller to judge.
 */
export function parseWeightedList(header: string): WeightedElement[] | undefined {
  const items = splitOutsideQuotes(header, ',');
  if (items === undefined) return undefined;
  const elements: WeightedElement[] = [];
  for (let order = 0; order < items.length; order++) {
    if (items[order].trim() === '') continue;
    const [value, ...rawParams] = splitOutsideQuotes(items[order], ';') ?? [];
    let q: number | undefined;
    const params: Parameter[] = [];
    for (const raw of rawParams) {
      const parsed = parseParameter(raw.trim());
      if (parsed === undefined) return undefined;
      const [param, quoted] = parsed;
      if (param.name !== 'q') {
        params.push(param);
        continue;
      }
      // RFC 9110 has `q` taken as the weight wherever it stands; a second one would be a guess.
      // A weight is a bare q-value, never a quoted string.
      if (q !== undefined || quoted) return undefined;
      q = parseQValue(param.value);
      if (q === undefined) return undefined;
    }
    elements.push({ value: value.trim(), params, q: q ?? 1, order });
  }
  return elements;
}

/** The parameter `param` spells, and whether its value was quoted. */
function parseParameter(param: string): [Parameter, boolean] | undefined {
  if (param === '') return [{ name: '', value: '' }, false];
  const equals = param.indexOf('=');
  if (equals < 0) return undefined;
  const name = param.slice(0, equals).trim();
  const raw = param.slice(equals + 1).trim();
  if (!TOKEN.test(name)) return undefined;
  const quotedString = QUOTED_STRING.exec(raw);
  if (quotedString) return [{ name: name.toLowerCase(), value: quotedString[1].replace(/\\(.)/gs, '$1') }, true];
  return TOKEN.test(raw) ? [{ name: name.toLowerCase(), value: raw }, false] : undefined;
}

/** `text` cut at each `separator` outside a quoted string, or `undefined` when a quoted string is left open. */
function splitOutsideQuotes(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) return undefined;
  parts.push(text.slice(start));
  return parts;
}
