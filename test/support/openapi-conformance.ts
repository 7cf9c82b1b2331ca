import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/**
 * What @apidevtools/swagger-parser finds wrong in an OpenAPI document: every `$ref` must resolve,
 * and the document must match the OpenAPI specification's own JSON schema. Each line names a
 * place in the document and what is wrong there; none when the document is valid.
 */
export async function specificationSchemaProblems(doc: object): Promise<string[]> {
  try {
    // validate() dereferences the object it is given: a copy keeps the document as served.
    await SwaggerParser.validate(structuredClone(doc) as any);
    return [];
  } catch (error) {
    return String((error as Error).message).split('\n').map((line) => line.trim()).filter(Boolean);
  }
}

/**
 * The rules of OpenAPI 3.0 that its JSON schema cannot state, and that swagger-parser checks for
 * Swagger 2.0 only, on which code generators rely: each template expression of a path names one of
 * its path parameters and each path parameter appears in the path (Parameter Object, name), an
 * operation takes a parameter (name and location) once and its operationId is unique (Operation
 * Object), and two paths differ by more than their templates' names (Paths Object).
 */
export function specificationRuleProblems(doc: any): string[] {
  const problems: string[] = [];
  const operationIds = new Map<string, string>();
  const shapes = new Map<string, string>();
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const shape = path.replace(/\{[^}]*\}/g, '{}');
    if (shapes.has(shape)) problems.push(`${path}: the same path as ${shapes.get(shape)}, but for its templates' names`);
    shapes.set(shape, path);
    const templates = [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method];
      const where = `${method} ${path}`;
      const parameters: any[] = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => (p.$ref ? resolve(doc, p.$ref) : p));
      const inPath = parameters.filter((p) => p.in === 'path').map((p) => p.name);
      for (const name of templates.filter((t) => !inPath.includes(t))) problems.push(`${where}: {${name}} has no path parameter`);
      for (const name of inPath.filter((p) => !templates.includes(p))) problems.push(`${where}: path parameter ${name} is not in the path`);
      const keys = parameters.map((p) => `${p.in} ${p.name}`);
      for (const key of new Set(keys.filter((k, i) => keys.indexOf(k) !== i))) problems.push(`${where}: parameter ${key} given more than once`);
      if (op.operationId === undefined) continue;
      if (operationIds.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} also names ${operationIds.get(op.operationId)}`);
      operationIds.set(op.operationId, where);
    }
  }
  return problems;
}

/**
 * Every JSON example of the document (of a schema or a member, a parameter, a request, an answer:
 * `example` and each of `examples`) checked against its schema by Ajv, formats included. XML
 * examples are the documents as sent, strings, and are not checked here.
 */
export async function exampleSchemaProblems(doc: object): Promise<string[]> {
  const resolved: any = await SwaggerParser.dereference(structuredClone(doc) as any);
  // OpenAPI 3.0 schemas are JSON Schema with keywords of their own (xml, example, discriminator...).
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const problems: string[] = [];
  let checked = 0;
  const check = (where: string, schema: unknown, value: unknown) => {
    if (schema === undefined) return;
    checked++;
    const validate = ajv.compile(schema as object);
    if (!validate(value)) problems.push(`${where}: ${ajv.errorsText(validate.errors, { dataVar: 'example' })}`);
  };
  const inSchema = (where: string, schema: any) => {
    if (!schema || typeof schema !== 'object') return;
    if (schema.example !== undefined) check(`${where} example`, schema, schema.example);
    for (const [name, member] of Object.entries(schema.properties ?? {})) inSchema(`${where}.${name}`, member);
    if (schema.items) inSchema(`${where}[]`, schema.items);
    for (const key of ['allOf', 'oneOf', 'anyOf']) (schema[key] ?? []).forEach((s: any, i: number) => inSchema(`${where} ${key}[${i}]`, s));
  };
  const inContent = (where: string, content: Record<string, any> | undefined) => {
    for (const [type, media] of Object.entries(content ?? {})) {
      if (!/[/+]json$/.test(type)) continue;
      if (media.example !== undefined) check(`${where} ${type} example`, media.schema, media.example);
      for (const [name, example] of Object.entries<any>(media.examples ?? {})) check(`${where} ${type} examples.${name}`, media.schema, example.value);
    }
  };
  for (const [name, schema] of Object.entries<any>(resolved.components?.schemas ?? {})) inSchema(`schema ${name}`, schema);
  for (const [path, item] of Object.entries<any>(resolved.paths)) {
    for (const method of METHODS.filter((m) => item[m])) {
      const op = item[method];
      const where = `${method} ${path}`;
      for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        if (p.example !== undefined) check(`${where} parameter ${p.name} example`, p.schema, p.example);
        inSchema(`${where} parameter ${p.name}`, p.schema);
      }
      inContent(`${where} request`, op.requestBody?.content);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        inContent(`${where} ${status}`, response.content);
        for (const [header, h] of Object.entries<any>(response.headers ?? {})) if (h.example !== undefined) check(`${where} ${status} ${header} example`, h.schema, h.example);
      }
    }
  }
  if (checked === 0) problems.push('no JSON example was found to check');
  return problems;
}

function resolve(doc: any, ref: string): any {
  return ref.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
}
