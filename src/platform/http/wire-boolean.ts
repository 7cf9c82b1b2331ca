import { Transform } from 'class-transformer';
import { withoutLeading, withoutTrailing } from '../text/text-ends';

/** What validateBody tells the request classes' transforms about the body being read. */
export interface WireTransformOptions {
  xmlBody?: boolean;
}

/**
 * XML Schema's xsd:boolean: `true`, `false`, `1` and `0`, white space around them collapsed
 * away, as an XML client's schema tooling writes them.
 */
const XML_SPACE = ' \t\r\n';
const XML_BOOLEAN = new Map<string, boolean>([['true', true], ['false', false], ['1', true], ['0', false]]);

/**
 * A boolean as the body carried it. JSON has booleans of its own and takes the text `true` /
 * `false` as well, as clients that quote every value send them; `1` and `0` stay numbers or
 * text there, not booleans. XML carries every value as text, in xsd:boolean's forms. Anything
 * else is left as it came, for the field's check to refuse.
 */
export function wireBoolean(value: unknown, xmlBody: boolean): unknown {
  if (typeof value !== 'string') return value;
  const read = xmlBody ? XML_BOOLEAN.get(withoutTrailing(withoutLeading(value, XML_SPACE), XML_SPACE)) : value === 'true' ? true : value === 'false' ? false : undefined;
  return read ?? value;
}

/** The field is a boolean on the wire (`wireBoolean`). */
export const WireBoolean = (): PropertyDecorator =>
  Transform(({ value, options }) => wireBoolean(value, (options as WireTransformOptions).xmlBody === true));
