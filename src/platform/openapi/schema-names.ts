import type { Type } from '@nestjs/common';

/**
 * Metadata keys of @nestjs/swagger's decorators (its `DECORATORS`, which the package does not
 * export); schema-names.spec.ts reads them back from the real decorators.
 */
const API_RESPONSE = 'swagger/apiResponse';
const API_PARAMETERS = 'swagger/apiParameters';
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';
const API_MODEL_PROPERTIES_ARRAY = 'swagger/apiModelPropertiesArray';
const API_SCHEMA = 'swagger/apiSchema';

type Model = Type<unknown>;

/**
 * The schema names given to more than one class, with those classes, among the models the
 * routes of these controllers describe (bodies, answers and every class their members refer
 * to). The document keys its schemas by name and describes every class of a name with the
 * shape of whichever it met first, without a word: a request could thus be described with an
 * answer's required members, or an answer without its formats.
 */
export function schemaNameClashes(controllers: Type<unknown>[]): { name: string; classes: Model[] }[] {
  const byName = new Map<string, Set<Model>>();
  for (const model of describedModels(controllers)) {
    const name = schemaName(model);
    byName.set(name, (byName.get(name) ?? new Set()).add(model));
  }
  return [...byName.entries()].filter(([, classes]) => classes.size > 1).map(([name, classes]) => ({ name, classes: [...classes] }));
}

/** The classes the document describes under each schema name (the first met, as @nestjs/swagger keeps it). */
export function schemaModels(controllers: Type<unknown>[]): Map<string, Model> {
  const byName = new Map<string, Model>();
  for (const model of describedModels(controllers)) if (!byName.has(schemaName(model))) byName.set(schemaName(model), model);
  return byName;
}

/** The models the routes of these controllers describe: bodies, answers and every class their members refer to. */
function describedModels(controllers: Type<unknown>[]): Model[] {
  const seen = new Set<Model>();
  const visit = (reference: unknown): void => {
    const model = modelOf(reference);
    if (!model || seen.has(model)) return;
    seen.add(model);
    const keys: string[] = Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, model.prototype) ?? [];
    for (const key of keys) {
      const property = Reflect.getMetadata(API_MODEL_PROPERTIES, model.prototype, key.replace(/^:/, '')) ?? {};
      visit(property.type);
      visit(property.items?.type);
    }
  };
  for (const controller of controllers) {
    for (const method of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = Object.getOwnPropertyDescriptor(controller.prototype, method)?.value;
      if (typeof handler !== 'function') continue;
      for (const answer of Object.values<{ type?: unknown }>(Reflect.getMetadata(API_RESPONSE, handler) ?? {})) visit(answer.type);
      for (const parameter of (Reflect.getMetadata(API_PARAMETERS, handler) ?? []) as { type?: unknown }[]) visit(parameter.type);
    }
  }
  return [...seen];
}

/** The class a property or answer refers to: itself, the element of `[Class]`, or what `() => Class` returns. */
function modelOf(reference: unknown): Model | undefined {
  let type = Array.isArray(reference) ? reference[0] : reference;
  if (typeof type === 'function' && !type.prototype) type = type();
  if (Array.isArray(type)) type = type[0];
  if (typeof type !== 'function' || !type.prototype) return undefined;
  return Reflect.getMetadata(API_MODEL_PROPERTIES_ARRAY, type.prototype) ? (type as Model) : undefined;
}

/** As @nestjs/swagger names a schema: the name given with `@ApiSchema`, else the class's. */
function schemaName(model: Model): string {
  const given: { name?: string }[] = Reflect.getOwnMetadata(API_SCHEMA, model) ?? [];
  return given[given.length - 1]?.name ?? model.name;
}
