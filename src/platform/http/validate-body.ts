import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import { validateSync, type ValidationError, type ValidatorOptions } from 'class-validator';
import { AppError } from '../errors/app-error';
import { echoed, echoedPath } from '../errors/echoed-value';
import { FORBIDDEN_MEMBER_NAMES, checkDocumentShape, forbiddenMemberName } from './document-shape';
import { toInstance } from './instance-plan';
import { cacheValidationMetadata } from './validation-metadata-cache';
import type { WireTransformOptions } from './wire-boolean';
import { isXmlBody } from './wire-format';
import { satisfiesRules } from './validation-plan';

cacheValidationMetadata();

/** What `satisfiesRules` answers for as well: change both together. */
const VALIDATOR_OPTIONS: ValidatorOptions = { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true, forbidUnknownValues: true };

/** Per request class, the top-level members whose JSON null means something (`@NullClears`). */
const NULL_CLEARS = new Map<object, Set<string>>();

/**
 * A top-level member whose JSON `null` is kept and clears the setting, where every other
 * `null` in this API counts as an absent member. Its validation must let `null` through.
 */
export function NullClears(): PropertyDecorator {
  return (target, key) => {
    const members = NULL_CLEARS.get(target.constructor) ?? new Set<string>();
    members.add(String(key));
    NULL_CLEARS.set(target.constructor, members);
  };
}

/**
 * Checks a parsed body against its request class: unknown fields are refused, and the
 * first failure is reported as BodyInvalid naming the field by its path
 * (e.g. `activity.customer.contacts.contact.0.email.0.emailAddress`).
 * A JSON `null` counts as an absent member, as clients generating JSON often send it.
 */
export function validateBody<T extends object>(cls: ClassConstructor<T>, body: unknown): T {
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) {
    throw new AppError('BodyMissing', 'a request body is required');
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BodyInvalid', 'the request body must be a document (object)', '(body)', { field: '(body)' });
  }
  checkDocumentShape(body);
  // Only nulls is `{}` once the nulls are dropped: no body either (a PATCH of only nulls
  // changed nothing, yet answered 200 and moved an entry point's lastModified).
  const clears = NULL_CLEARS.get(cls);
  if (Object.entries(body).every(([member, value]) => value === null && !clears?.has(member))) {
    throw new AppError('BodyMissing', 'a request body is required (every member is null, which counts as absent)');
  }
  const instance = requestInstance(cls, body);
  // The common case, a valid document, answered without class-validator's error tree;
  // anything else goes to class-validator, which words the error.
  if (satisfiesRules(instance)) return instance;
  const errors = validationErrors(instance);
  if (errors.length > 0) {
    const { path, reason } = firstFailure(errors[0], '');
    throw new AppError('BodyInvalid', `${path}: ${reason}`, path, { field: path });
  }
  return instance;
}

/** The request object a body becomes: null members dropped (but those of `@NullClears`), nested documents as instances of their classes. */
export function requestInstance<T extends object>(cls: ClassConstructor<T>, body: object): T {
  return toInstance(cls, requestPlain(cls, body), transformOptions(body));
}

/** The document requestInstance makes its object of: null members dropped, but those of `@NullClears`. */
export function requestPlain(cls: ClassConstructor<object>, body: object): Record<string, unknown> {
  const plain = withoutNulls(body, []) as Record<string, unknown>;
  for (const member of NULL_CLEARS.get(cls) ?? []) if ((body as Record<string, unknown>)[member] === null) plain[member] = null;
  return plain;
}

/** class-transformer's options for a body (its transforms read `xmlBody`). */
export function transformOptions(body: object): ClassTransformOptions & WireTransformOptions {
  return { enableImplicitConversion: false, exposeDefaultValues: false, xmlBody: isXmlBody(body) };
}

/** class-validator's verdict on a request object, with the options validateBody applies. */
export function validationErrors(instance: object): ValidationError[] {
  return validateSync(instance, VALIDATOR_OPTIONS);
}

/**
 * A copy without null members; names that could reach an object's prototype are refused.
 * `path` holds the keys down to `value`, joined into the field's name only for a refusal.
 */
function withoutNulls(value: unknown, path: string[]): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      path.push(String(i));
      const copy = withoutNulls(v, path);
      path.pop();
      return copy;
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_MEMBER_NAMES.has(key)) throw forbiddenMemberName([...path, key].join('.'));
    const member = (value as Record<string, unknown>)[key];
    if (member === null) continue;
    path.push(key);
    out[key] = withoutNulls(member, path);
    path.pop();
  }
  return out;
}

function firstFailure(error: ValidationError, prefix: string): { path: string; reason: string } {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints) return { path: echoedPath(path), reason: reasonOf(error) };
  if (error.children && error.children.length > 0) return firstFailure(error.children[0], path);
  return { path: echoedPath(path), reason: 'invalid' };
}

/** class-validator's wording of the first rule broken; an unknown member's name, the caller's own, is cut as any echoed value. */
function reasonOf(error: ValidationError): string {
  const [rule, reason] = Object.entries(error.constraints!)[0];
  return rule === 'whitelistValidation' ? `property ${echoed(error.property)} should not exist` : reason;
}
