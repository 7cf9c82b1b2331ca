import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { CharacterLength } from '../../../platform/http/character-length';
import { ID_PATTERN, canonicalId } from '../../../platform/http/wire-id';
import { NOT_IN_ONE_LINE } from '../../../platform/text/text-rules';
import { ResourceNotFound } from '../domain/administration.errors';
import type { Response } from 'express';
import { LIST_PAGE_DEFAULT, type ListPageOf } from '../domain/list-page';
import { versionOf, type ExpectedVersion } from '../application/resource-version';

/**
 * How administration bodies arrive: JSON with real types, or XML where everything is text
 * and a list of one is a single element. These turn both into the same values before
 * validation; anything else is left as sent, for the validator to refuse.
 */
export const ID = ID_PATTERN;

/** Ids in canonical form (`"01"` is `"1"`); a value that is no id is left for the validator to refuse. */
const asId = (v: unknown) => canonicalId(v) ?? v;

export const WireId = () => Transform(({ value }) => asId(value));

/** `[1, "2"]`, or in XML `<queueIds>1</queueIds><queueIds>2</queueIds>`, or one element, or an empty element. */
export const WireList = (ids = false) =>
  Transform(({ value }) => {
    if (value === undefined || value === null) return value;
    const list = Array.isArray(value) ? value : value === '' ? [] : [value];
    return ids ? list.map(asId) : list;
  });

/** At least one character that is not white space, and no control character nor U+FFFE / U+FFFF anywhere. */
const PLAIN_NAME = new RegExp(`^(?![\\s\\S]*(?:${NOT_IN_ONE_LINE.source}))[\\s\\S]*\\S`);

/**
 * The name of a department, queue, entry point, application or agent: 1 to 100 characters
 * of one line, as a person reads it. Entry point names reach client applications (the
 * configuration API) and names are shown to administrators and agents; a control character
 * or U+FFFE / U+FFFF would not survive the XML form (they became U+FFFD there) and a blank
 * name shows nothing.
 */
export const DisplayName = (): PropertyDecorator => (target, property) => {
  IsString()(target, property);
  CharacterLength(1, 100)(target, property);
  Matches(PLAIN_NAME, { message: '$property must hold a visible character, no control characters and neither U+FFFE nor U+FFFF' })(target, property);
};

export const WireInt = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,9}$/.test(value) ? Number(value) : value));

/** Path ids, in canonical form: anything but digits names no resource (404), like an unknown id. */
export function pathId(resource: string, id: string): string {
  const canonical = canonicalId(id);
  if (canonical === undefined) throw new ResourceNotFound(resource, id);
  return canonical;
}

/** Where a list is read, for its `next` link: the list's path and the query parameters it keeps (the attribute list's `scope`). */
export interface ListRoute {
  href: string;
  query?: Record<string, string | undefined>;
}

/**
 * Lists answer as `{ <plural>: { <singular>: [...] } }`, so the XML form has one root and repeated
 * items; while more items follow, `link` carries `next`, the page after this one (same limit,
 * same filters), as a conversation reading links the next page of its transcript.
 */
export function listDocument<T extends { id: string }>(plural: string, singular: string, page: ListPageOf<T>, limit: number, route: ListRoute) {
  const last = page.items.at(-1);
  const link = page.more && last !== undefined ? [{ rel: 'next', href: nextPageHref(route, last.id, limit) }] : [];
  return { [plural]: { [singular]: page.items, ...(link.length > 0 ? { link } : {}) } };
}

function nextPageHref(route: ListRoute, afterId: string, limit: number): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(route.query ?? {})) if (value !== undefined) query.set(name, value);
  query.set('after', afterId);
  if (limit !== LIST_PAGE_DEFAULT) query.set('limit', String(limit));
  return `${route.href}?${query.toString()}`;
}

/** Answers `resource`'s version as its `ETag` (a strong tag), for a later change to send back in `If-Match`. */
export function tagged<T extends object>(res: Response, resource: T): T {
  res.setHeader('ETag', `"${versionOf(resource)}"`);
  return resource;
}

const STRONG_TAG = /^"([^"]*)"$/;

/**
 * `If-Match` of a change: `*`, or the entity tags listed (several headers arrive joined by
 * commas). Tags are compared strongly, as RFC 9110 has it for `If-Match`: a weak tag (`W/"…"`)
 * or anything that is no tag names no version, so a header made only of those is answered 412.
 */
export function expectedVersionOf(header: string | undefined): ExpectedVersion | undefined {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  return header.split(',').map((tag) => STRONG_TAG.exec(tag.trim())?.[1]).filter((v): v is string => v !== undefined);
}
