import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { ErrorKind } from '../../../platform/errors/error-catalogue';
import type { EndpointAnswer, EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { pageLimitQuery } from '../../../platform/openapi/page-limit-query';
import { LIST_PAGE_DEFAULT, LIST_PAGE_MAX } from '../domain/list-page';

class NextPageLink {
  @ApiProperty({ enum: ['next'] }) rel: string;
  @ApiProperty({ example: '/system/ws/v19/administration/agents?after=7' }) href: string;
}

/** What every administered list carries beside its items: the link to the page after it, while more items follow. */
export class PagedList {
  @ApiProperty({ type: NextPageLink, isArray: true, required: false, description: 'present while more items follow: `next` reads the page after this one, with the same limit and filters' })
  link?: NextPageLink[];
}

/** `after` and `limit`: which page of a list a reading answers. */
const LIST_PAGE_QUERY: EndpointDoc['query'] = [
  {
    name: 'after',
    required: false,
    schema: { type: 'string', pattern: '^\\d{1,19}$' },
    description: 'an id: the page holds the items with a higher id, in id order (from the first when absent); it need not name an existing item',
  },
  pageLimitQuery('items', LIST_PAGE_DEFAULT, LIST_PAGE_MAX),
];

export interface ResourceDoc {
  /** Singular, as in messages: 'department', 'entry point'. */
  name: string;
  xmlRoot: string;
  type: Type<unknown>;
  listType: Type<unknown>;
  createType: Type<unknown>;
  updateType: Type<unknown>;
  /** One item as answered (without the wrapping key). */
  example: Record<string, unknown>;
  createExample: Record<string, unknown>;
  updateExample: Record<string, unknown>;
  plural: string;
  createErrors?: ErrorKind[];
  updateErrors?: ErrorKind[];
  createNote?: string;
  updateNote?: string;
}

export const VERSION_HEADER = {
  ETag: {
    description: 'the version of the resource as answered (a strong entity tag): send it back in `If-Match` to change it only if nobody has since; `If-None-Match` with it on a reading answers 304 while the resource is unchanged',
    schema: { type: 'string', example: '"3q2xQbOgJ1Nn4a8LEZqk9f1kHc0"' },
  },
} as const;

/** `If-None-Match` of a reading: answered 304 with no body while the resource is still at a version named. */
const IF_NONE_MATCH_HEADER = {
  name: 'If-None-Match',
  required: false,
  description:
    'the `ETag` of the resource as last read (or several, comma-separated; `*`: any): while the resource is still at one of them the answer is 304 with no body, ' +
    'else the resource as usual. `Cache-Control: no-cache` asks for the resource whatever the tag.',
  schema: { type: 'string' as const },
};

const NOT_MODIFIED: EndpointAnswer = {
  status: 304,
  description: 'Not Modified: the resource is still at a version `If-None-Match` names; no body',
  headers: VERSION_HEADER,
};

/**
 * A reading of one versioned resource: its version as `ETag`, and 304 while `If-None-Match`
 * names it. Express answers so every GET whose answer carries an `ETag` (a change, never a GET,
 * is never 304), so a reading is documented through here, the tag and the 304 together.
 */
export function versionedReading(ok: Omit<EndpointAnswer, 'headers'>): Pick<EndpointDoc, 'headers' | 'ok' | 'otherAnswers'> {
  return { headers: [IF_NONE_MATCH_HEADER], ok: { ...ok, headers: VERSION_HEADER }, otherAnswers: [NOT_MODIFIED] };
}

/** `If-Match` of a change: made only while the resource is still at a version read. */
export const IF_MATCH_HEADER = {
  name: 'If-Match',
  required: false,
  description:
    'the `ETag` of the resource as last read (or several, comma-separated; `*`: any): the change is made only if the resource is still at one of them, ' +
    'else 412 ResourceChanged and nothing changes. Compared strongly: a weak tag (`W/"…"`) matches nothing. Without it the fields sent are written over whatever is there.',
  schema: { type: 'string' as const },
};

/** The four operations every administered resource has, documented alike. */
export function crudDocs(r: ResourceDoc): { list: EndpointDoc; get: EndpointDoc; create: EndpointDoc; update: EndpointDoc } {
  const one = { [r.xmlRoot]: r.example };
  return {
    list: {
      summary: `List ${r.name}s`,
      description: 'In id order, a page at a time: `link` carries `next` while more items follow.',
      auth: 'administrator',
      query: LIST_PAGE_QUERY,
      ok: { type: r.listType, example: { [r.plural]: { [r.xmlRoot]: [r.example] } } },
      errors: ['InvalidParameterValue', 'RepeatedParameter'],
    },
    get: {
      summary: `Read one ${r.name}`,
      auth: 'administrator',
      ...versionedReading({ type: r.type, example: one }),
      errors: ['ResourceNotFound'],
    },
    create: {
      summary: `Create a ${r.name}`,
      description: r.createNote,
      auth: 'administrator',
      body: { type: r.createType, xmlRoot: r.xmlRoot, example: r.createExample },
      ok: { status: 201, description: 'Created', type: r.type, example: one, headers: VERSION_HEADER },
      errors: r.createErrors,
    },
    update: {
      summary: `Change a ${r.name}`,
      description: `Only the fields sent change.${r.updateNote ? ` ${r.updateNote}` : ''}`,
      auth: 'administrator',
      headers: [IF_MATCH_HEADER],
      body: { type: r.updateType, xmlRoot: r.xmlRoot, example: r.updateExample },
      ok: { type: r.type, example: { [r.xmlRoot]: { ...r.example, ...r.updateExample } }, headers: VERSION_HEADER },
      errors: ['ResourceNotFound', 'ResourceChanged', ...(r.updateErrors ?? [])],
    },
  };
}
