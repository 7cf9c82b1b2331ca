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

interface NestedRule {
  /** The schema nested objects are validated under: the rule's class name. */
  schema: string;
  /**
   * The plan of the class last met under this rule: a property's nested objects nearly always
   * share one. Kept in the parent's plan, which is only used again while its rule list is the
   * same, that is while no rule was added anywhere (validation-metadata-cache drops every list then).
   */
  last: { target: Function | undefined; plan: ClassPlan | undefined };
}

interface PropertyPlan {
  name: string;
  conditions: ValidationMetadata[];
  defined: Constraint[];
  custom: Constraint[];
  nested: NestedRule[];
}

interface ClassPlan {
  /** What class-validator hands a constraint as `targetName`. */
  targetName: string;
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

/** The plan for objects of `target` validated under `schema`; undefined where class-validator finds no rules (forbidUnknownValues). */
function planFor(target: Function, schema: string | undefined): ClassPlan | undefined {
  const storage = getMetadataStorage();
  const metadata = storage.getTargetValidationMetadatas(target, schema as string, false, false, undefined);
  if (metadata.length === 0) return undefined;
  let plan = plans.get(metadata);
  if (!plan) plans.set(metadata, (plan = buildPlan(storage, target, metadata)));
  return plan;
}

function buildPlan(storage: Storage, target: Function, metadata: ValidationMetadata[]): ClassPlan {
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
      nested: rules
        .filter((m) => m.type === ValidationTypes.NESTED_VALIDATION)
        .map((m) => ({ schema: typeof m.target === 'string' ? m.target : m.target.name, last: { target: undefined, plan: undefined } })),
    };
  });
  const allowed = new Set(Object.keys(grouped).filter((name) => grouped[name].length > 0));
  return { targetName: target.name, allowed, properties, unsupported };
}

/** ValidationExecutor.execute, for one object validated under `schema` (its parent's class name when nested). */
function checkObject(object: object, schema: string | undefined, rule?: NestedRule): boolean {
  const target = object.constructor;
  if (typeof target !== 'function') return false;
  let plan: ClassPlan | undefined;
  const last = rule?.last;
  if (last && last.target === target) {
    plan = last.plan;
  } else {
    plan = planFor(target, schema);
    if (rule) rule.last = { target, plan };
  }
  if (plan === undefined) return false; // forbidUnknownValues
  if (plan.unsupported) return false;
  for (const key of Object.keys(object)) if (!plan.allowed.has(key)) return false;
  for (const property of plan.properties) {
    if (!checkProperty(object, (object as Record<string, unknown>)[property.name], property, plan.targetName)) return false;
  }
  return true;
}

/** ValidationExecutor.performValidations: conditions first, then IsDefined, the constraints, nested objects. */
function checkProperty(object: object, value: unknown, property: PropertyPlan, targetName: string): boolean {
  for (const condition of property.conditions) {
    if (!(condition.constraints[0] as (o: object, v: unknown) => boolean)(object, value)) return true;
  }
  return satisfiesAll(object, value, property.defined, targetName) && satisfiesAll(object, value, property.custom, targetName) && checkNested(value, property.nested);
}

function satisfiesAll(object: object, value: unknown, constraints: Constraint[], targetName: string): boolean {
  for (const { metadata, instances } of constraints) {
    if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
    const args: ValidationArguments = { targetName, property: metadata.propertyName, object, value, constraints: metadata.constraints };
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
function checkNested(value: unknown, nested: NestedRule[]): boolean {
  if (value === undefined || nested.length === 0) return true;
  for (const rule of nested) {
    if (isArrayLike(value)) {
      for (const element of toArray(value)) if (!checkNested(element, nested)) return false;
    } else if (value instanceof Object) {
      if (!checkObject(value, rule.schema, rule)) return false;
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
