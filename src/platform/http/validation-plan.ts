import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/**
 * A yes/no answer to "would class-validator find nothing wrong with this instance?" under
 * the options validateBody uses (whitelist, forbidNonWhitelisted, forbidUnknownValues, no
 * groups), from the same rule list and constraint functions class-validator uses, but
 * without its error tree: for a valid document class-validator builds an error object per
 * decorated property of every nested class and filters its rules per property, which made
 * it the larger part of validateBody's cost.
 *
 * `true` must mean exactly what class-validator would say. `false` only means "let
 * class-validator decide" (and word the error): anything this plan does not model
 * (asynchronous constraints, promise validation) answers `false`.
 *
 * It follows class-validator 0.15's ValidationExecutor step by step (named on each
 * function below); after an upgrade, validation-plan.spec.ts and the start request's
 * equivalence spec are what show a divergence.
 */
export function satisfiesRules(object: object): boolean {
  return checkObject(object, undefined);
}

interface Constraint {
  metadata: ValidationMetadata;
  instances: ValidatorConstraintInterface[];
}

interface PropertyPlan {
  name: string;
  conditions: ValidationMetadata[];
  defined: Constraint[];
  custom: Constraint[];
  nested: ValidationMetadata[];
}

interface ClassPlan {
  /** Properties that have rules; any other own property is refused (forbidNonWhitelisted). */
  allowed: ReadonlySet<string>;
  properties: PropertyPlan[];
  /** A rule this plan cannot evaluate synchronously: class-validator decides. */
  unsupported: boolean;
}

type Storage = ReturnType<typeof getMetadataStorage>;

/**
 * Plans are keyed by the rule list itself: validateBody's metadata cache hands out the same
 * list for a class and schema until a rule is added, and a new list gets a new plan.
 */
const plans = new WeakMap<ValidationMetadata[], ClassPlan>();

function planOf(storage: Storage, metadata: ValidationMetadata[]): ClassPlan {
  let plan = plans.get(metadata);
  if (!plan) plans.set(metadata, (plan = buildPlan(storage, metadata)));
  return plan;
}

function buildPlan(storage: Storage, metadata: ValidationMetadata[]): ClassPlan {
  const grouped = storage.groupByPropertyName(metadata);
  let unsupported = false;
  const constraint = (m: ValidationMetadata): Constraint => {
    const found = storage.getTargetValidatorConstraints(m.constraintCls);
    if (found.some((c) => c.async)) unsupported = true;
    return { metadata: m, instances: found.map((c) => c.instance) };
  };
  const properties = Object.entries(grouped).map(([name, rules]): PropertyPlan => {
    if (rules.some((m) => m.type === ValidationTypes.PROMISE_VALIDATION)) unsupported = true;
    return {
      name,
      conditions: rules.filter((m) => m.type === ValidationTypes.CONDITIONAL_VALIDATION),
      defined: rules.filter((m) => m.type === ValidationTypes.IS_DEFINED).map(constraint),
      custom: rules.filter((m) => m.type === ValidationTypes.CUSTOM_VALIDATION).map(constraint),
      nested: rules.filter((m) => m.type === ValidationTypes.NESTED_VALIDATION),
    };
  });
  const allowed = new Set(Object.keys(grouped).filter((name) => grouped[name].length > 0));
  return { allowed, properties, unsupported };
}

/** ValidationExecutor.execute, for one object validated under `schema` (its parent's class name when nested). */
function checkObject(object: object, schema: string | undefined): boolean {
  const target = object.constructor;
  if (typeof target !== 'function') return false;
  const storage = getMetadataStorage();
  const metadata = storage.getTargetValidationMetadatas(target, schema as string, false, false, undefined);
  if (metadata.length === 0) return false; // forbidUnknownValues
  const plan = planOf(storage, metadata);
  if (plan.unsupported) return false;
  for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  for (const property of plan.properties) {
    if (!checkProperty(object, (object as Record<string, unknown>)[property.name], property)) return false;
  }
  return true;
}

/** ValidationExecutor.performValidations: conditions first, then IsDefined, the constraints, nested objects. */
function checkProperty(object: object, value: unknown, property: PropertyPlan): boolean {
  for (const condition of property.conditions) {
    if (!(condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) return true;
  }
  return satisfiesAll(object, value, property.defined) && satisfiesAll(object, value, property.custom) && checkNested(value, property.nested);
}

function satisfiesAll(object: object, value: unknown, constraints: Constraint[]): boolean {
  for (const { metadata, instances } of constraints) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const args: ValidationArguments = { targetName: object.constructor?.name, property: metadata.propertyName, object, value, constraints: metadata.constraints };
    const each = metadata.each && isArrayLike(value) ? toArray(value) : undefined;
    for (const instance of instances) {
      if (each === undefined) {
        if (!isTrue(instance.validate(value, args))) return false;
      } else {
        for (const element of each) if (!isTrue(instance.validate(element, args))) return false;
      }
    }
  }
  return true;
}

/** ValidationExecutor.nestedValidations: elements of arrays, sets and maps one by one, objects under the rule's class name. */
function checkNested(value: unknown, nested: ValidationMetadata[]): boolean {
  if (value === undefined || nested.length === 0) return true;
  for (const rule of nested) {
    if (isArrayLike(value)) {
      for (const element of toArray(value)) if (!checkNested(element, nested)) return false;
    } else if (value instanceof Object) {
      if (!checkObject(value, typeof rule.target === 'string' ? rule.target : rule.target.name)) return false;
    } else {
      return false;
    }
  }
  return true;
}

function isArrayLike(value: unknown): value is unknown[] | Set<unknown> | Map<unknown, unknown> {
  return Array.isArray(value) || value instanceof Set || value instanceof Map;
}

function toArray(value: unknown[] | Set<unknown> | Map<unknown, unknown>): unknown[] {
  if (value instanceof Map) return Array.from(value.values());
  return Array.isArray(value) ? value : Array.from(value);
}

/** A promise from a constraint is an asynchronous rule: not this plan's to judge. */
function isTrue(result: unknown): boolean {
  return Boolean(result) && !(result instanceof Promise) && typeof (result as { then?: unknown }).then !== 'function';
}
