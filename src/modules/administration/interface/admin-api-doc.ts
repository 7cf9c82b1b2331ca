import type { Type } from '@nestjs/common';
import type { ErrorKind } from '../../../platform/errors/error-catalogue';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';

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

/** The four operations every administered resource has, documented alike. */
export function crudDocs(r: ResourceDoc): { list: EndpointDoc; get: EndpointDoc; create: EndpointDoc; update: EndpointDoc } {
  const one = { [r.xmlRoot]: r.example };
  return {
    list: {
      summary: `List ${r.name}s`,
      auth: 'administrator',
      ok: { type: r.listType, example: { [r.plural]: { [r.xmlRoot]: [r.example] } } },
    },
    get: {
      summary: `Read one ${r.name}`,
      auth: 'administrator',
      ok: { type: r.type, example: one },
      errors: ['ResourceNotFound'],
    },
    create: {
      summary: `Create a ${r.name}`,
      description: r.createNote,
      auth: 'administrator',
      body: { type: r.createType, xmlRoot: r.xmlRoot, example: r.createExample },
      ok: { status: 201, description: 'Created', type: r.type, example: one },
      errors: r.createErrors,
    },
    update: {
      summary: `Change a ${r.name}`,
      description: `Only the fields sent change.${r.updateNote ? ` ${r.updateNote}` : ''}`,
      auth: 'administrator',
      body: { type: r.updateType, xmlRoot: r.xmlRoot, example: r.updateExample },
      ok: { type: r.type, example: { [r.xmlRoot]: { ...r.example, ...r.updateExample } } },
      errors: ['ResourceNotFound', ...(r.updateErrors ?? [])],
    },
  };
}
