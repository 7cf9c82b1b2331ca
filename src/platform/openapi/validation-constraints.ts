import type { Type } from '@nestjs/common';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type Schema = SchemaObject | ReferenceObject;

/**
 * How each bound the validator checks is written in JSON Schema, by the name class-validator gives
 * the check: `MaxLength`, `Length`, `ArrayMaxSize`, `IsIn`, `Min`, `Max`, and the project's own
 * `CharacterLength` and `IsWireText` (a text up to its constraint, a number or a boolean).
 */
const BOUNDS: Readonly<Record<string, (constraints: unknown[]) => { text?: SchemaObject; list?: SchemaObject; number?: SchemaObject; any?: SchemaObject }>> = {
  maxLength: ([max]) => ({ text: { maxLength: max as number } }),
  minLength: ([min]) => ({ text: { minLength: min as number } }),
  isLength: ([min, max]) => ({ text: { ...((min as number) > 0 ? { minLength: min as number } : {}), ...(max !== undefined ? { maxLength: max as number } : {}) } }),
  characterLength: ([min, max]) => ({ text: { ...((min as number) > 0 ? { minLength: min as number } : {}), maxLength: max as number } }),
  isWireText: ([max]) => ({ text: Number.isFinite(max) ? { maxLength: max as number } : {} }),
  arrayMaxSize: ([max]) => ({ list: { maxItems: max as number } }),
  arrayMinSize: ([min]) => ({ list: { minItems: min as number } }),
  isIn: ([values]) => ({ any: { enum: values as unknown[] } }),
  min: ([min]) => ({ number: { minimum: min as number } }),
  max: ([max]) => ({ number: { maximum: max as number } }),
};

/**
 * Writes into the document's schemas the bounds the validator checks on each described class (a
 * text's length, a list's size, an enumeration, a number's range), so that the document says what
 * the api refuses with 400-112 and a client built from it does not send it. A bound the class's
 * `@ApiProperty` already states is left as written.
 */
export function describeValidationBounds(schemas: Record<string, Schema>, models: ReadonlyMap<string, Type<unknown>>): void {
  const storage = getMetadataStorage();
  for (const [name, model] of models) {
    const schema = schemas[name];
    if (!schema || '$ref' in schema || !schema.properties) continue;
    for (const check of storage.getTargetValidationMetadatas(model, '', true, false)) {
      const bound = check.name !== undefined ? BOUNDS[check.name] : undefined;
      const property = schema.properties[check.propertyName];
      if (!bound || !property || '$ref' in property) continue;
      const { text, list, number, any } = bound(check.constraints ?? []);
      const value = check.each && property.items && !('$ref' in property.items) ? property.items : property;
      if (list) fill(property, list);
      if (text) fill(branch(value, 'string'), text);
      if (number) fill(branch(value, 'integer') ?? branch(value, 'number'), number);
      if (any) fill(value, any);
    }
  }
}

/** The member of a `oneOf` of that type, or the schema itself when it has that type. */
function branch(schema: SchemaObject, type: string): SchemaObject | undefined {
  if (schema.type === type) return schema;
  return schema.oneOf?.find((s: Schema): s is SchemaObject => !('$ref' in s) && s.type === type);
}

function fill(schema: SchemaObject | undefined, bounds: SchemaObject): void {
  if (!schema) return;
  for (const [key, value] of Object.entries(bounds)) {
    const target = schema as Record<string, unknown>;
    if (target[key] === undefined) target[key] = value;
  }
}
