import { plainToInstance, TransformationType, type ClassConstructor, type ClassTransformOptions, type TransformFnParams } from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { TransformMetadata, TypeMetadata } from 'class-transformer/types/interfaces';

/**
 * class-transformer's plainToInstance, for a parsed request document, from a plan built once
 * per class out of class-transformer's own metadata (@Type, @Transform). plainToInstance
 * looks every member of every nested object up again in its metadata storage (exposed and
 * excluded names, type, transforms over the class's ancestors, each list filtered and
 * copied), which made it half of validateBody's cost for a valid start.
 *
 * The result must be exactly plainToInstance's. Only its default options are planned
 * (the request classes use none of @Expose, @Exclude, groups, versions, implicit conversion
 * or default values); any other option, a class using @Expose/@Exclude or a discriminator,
 * a Map or Set, or a value a JSON or XML body cannot hold is handed to plainToInstance
 * whole. Transforms may then run twice, so they must be free of side effects, as the
 * request classes' are.
 *
 * It follows class-transformer 0.5's TransformOperationExecutor.transform for
 * PLAIN_TO_CLASS; after an upgrade, instance-plan.spec.ts and the start request's
 * equivalence spec are what show a divergence.
 */
export function toInstance<T extends object>(cls: ClassConstructor<T>, plain: object, options: ClassTransformOptions): T {
  const executorOptions = { ...defaultOptions, ...options };
  if (!hasDefaultOptions(executorOptions)) return plainToInstance(cls, plain, options);
  try {
    return transform(plain, cls, undefined, executorOptions) as T;
  } catch (err) {
    if (err === UNSUPPORTED) return plainToInstance(cls, plain, options);
    throw err;
  }
}

/** Thrown where the plan meets something it does not model: plainToInstance decides. */
const UNSUPPORTED = Symbol('not planned');

const DEFAULTS = Object.entries(defaultOptions as Record<string, unknown>);
function hasDefaultOptions(options: Record<string, unknown>): boolean {
  for (const [name, value] of DEFAULTS) if (options[name] !== value) return false;
  return true;
}

interface PropertyPlan {
  type: TypeMetadata | undefined;
  /** Applied in this order, as applyCustomTransformations does (group-less ones only: no groups are asked for). */
  transforms: TransformMetadata[];
}

interface ClassPlan {
  /** Members with a @Type or a @Transform; any other member is copied without either. */
  properties: ReadonlyMap<string, PropertyPlan>;
  /** Own names of the prototype without a setter: plainToInstance leaves such members out. */
  skipped: ReadonlySet<string>;
  supported: boolean;
}

type Target = ClassConstructor<object>;

const plans = new Map<Target, ClassPlan>();
/** A decorator applied after a plan was built (a class defined later, a subclass) makes plans anew. */
for (const add of ['addTypeMetadata', 'addTransformMetadata', 'addExposeMetadata', 'addExcludeMetadata'] as const) {
  const original = defaultMetadataStorage[add].bind(defaultMetadataStorage) as (metadata: never) => void;
  (defaultMetadataStorage as unknown as Record<string, (metadata: never) => void>)[add] = (metadata) => {
    plans.clear();
    original(metadata);
  };
}
/** A nested object without a @Type: plainToInstance copies it into an object literal. */
const LITERAL_PLAN = buildPlan(undefined);

function planOf(target: Target): ClassPlan {
  let plan = plans.get(target);
  if (!plan) plans.set(target, (plan = buildPlan(target)));
  return plan;
}

/** Where class-transformer keeps @Type and @Transform: read for the names they are kept under. */
type Kept = Map<Function, Map<string, unknown>>;
const kept = defaultMetadataStorage as unknown as { _typeMetadatas?: Kept; _transformMetadatas?: Kept };

function buildPlan(target: Target | undefined): ClassPlan {
  const prototype = (target ?? Object).prototype as object;
  const skipped = new Set(Object.getOwnPropertyNames(prototype).filter((name) => !Object.getOwnPropertyDescriptor(prototype, name)!.set));
  const properties = new Map<string, PropertyPlan>();
  if (target === undefined) return { properties, skipped, supported: true };
  const storage = defaultMetadataStorage;
  if (!(kept._typeMetadatas instanceof Map) || !(kept._transformMetadatas instanceof Map)) return { properties, skipped, supported: false };
  let supported = storage.getStrategy(target) === 'none' && storage.getExposedMetadatas(target).length === 0 && storage.getExcludedMetadatas(target).length === 0;
  const names = new Set<string>();
  for (const cls of [target, ...ancestors(target)]) {
    for (const name of kept._typeMetadatas.get(cls)?.keys() ?? []) names.add(name);
    for (const name of kept._transformMetadatas.get(cls)?.keys() ?? []) names.add(name);
  }
  for (const name of names) {
    const type = storage.findTypeMetadata(target, name);
    if (type?.options?.discriminator || type?.reflectedType === Map) supported = false;
    const transforms = storage
      .findTransformMetadatas(target, name, TransformationType.PLAIN_TO_CLASS)
      .filter((m) => !m.options || !m.options.groups || !m.options.groups.length);
    properties.set(name, { type, transforms });
  }
  return { properties, skipped, supported };
}

/** MetadataStorage.getAncestors. */
function ancestors(target: Function): Function[] {
  const found: Function[] = [];
  for (let base = Object.getPrototypeOf(target.prototype.constructor) as Function; typeof base.prototype !== 'undefined'; base = Object.getPrototypeOf(base.prototype.constructor) as Function) found.push(base);
  return found;
}

/** TransformOperationExecutor.transform (PLAIN_TO_CLASS, no source object, default options). */
function transform(value: unknown, targetType: unknown, arrayType: Function | undefined, options: ClassTransformOptions): unknown {
  if (Array.isArray(value)) {
    let list: unknown = arrayType ? new (arrayType as new () => unknown)() : [];
    if (arrayType && !(list instanceof Set) && !('push' in (list as object))) list = [];
    if (!Array.isArray(list) || Object.getPrototypeOf(list) !== Array.prototype) throw UNSUPPORTED;
    value.forEach((element) => {
      if (element instanceof Map || element instanceof Set) throw UNSUPPORTED;
      (list as unknown[]).push(transform(element, targetType, undefined, options));
    });
    return list;
  }
  if (value instanceof Set || value instanceof Map) throw UNSUPPORTED;
  if (targetType === String || targetType === Number || targetType === Boolean || targetType === Date || targetType === Buffer) throw UNSUPPORTED;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof Buffer || typeof (value as { then?: unknown }).then === 'function') throw UNSUPPORTED;
  if (targetType === undefined && value.constructor !== Object) throw UNSUPPORTED;
  if (targetType !== undefined && typeof targetType !== 'function') throw UNSUPPORTED;
  const cls = targetType as Target | undefined;
  const plan = cls ? planOf(cls) : LITERAL_PLAN;
  if (!plan.supported) throw UNSUPPORTED;
  const made = (cls ? new cls() : {}) as Record<string, unknown>;
  if (made.constructor !== (cls ?? Object)) throw UNSUPPORTED;
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const member = source[key];
    if (member instanceof Map) throw UNSUPPORTED;
    const property = plan.properties.get(key);
    let type: unknown;
    if (property?.type) {
      const metadata = property.type;
      type = metadata.typeFunction ? metadata.typeFunction({ newObject: made, object: source, property: key }) : metadata.reflectedType;
    }
    const memberArrayType = Array.isArray(member) ? (property?.type?.reflectedType as Function | undefined) : undefined;
    if (plan.skipped.has(key) || made[key] instanceof Function) continue;
    let final = transform(member, type, memberArrayType, options);
    for (const metadata of property?.transforms ?? []) {
      final = metadata.transformFn({ value: final, key, obj: source, type: TransformationType.PLAIN_TO_CLASS, options } as TransformFnParams);
    }
    made[key] = final;
  }
  return made;
}
