import { AppError } from '../errors/app-error';

/**
 * One query parameter that may be given at most once: its value, or undefined when absent.
 * Express's parser makes a repeated parameter an array; such a request is refused as
 * repeated (400-104) rather than read by one of its values.
 */
export function singleQueryValue(query: Record<string, unknown>, name: string): string | undefined {
  return queryValueOnce(name, query[name]);
}

/** The same, for a parameter a handler takes by name (`@Query('name')`). */
export function queryValueOnce(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AppError('RepeatedParameter', `query parameter ${name} is given more than once`, name, { param: name });
  return value;
}

/** A query parameter whose value is not one the route reads (400-105). */
export function invalidQueryValue(param: string, message: string): never {
  throw new AppError('InvalidParameterValue', message, param, { param });
}

const LIMIT = /^[1-9]\d{0,3}$/;

/** `limit` of a paged reading: a whole number from 1 to `max` (at most 9999), `fallback` when absent. */
export function pageLimitOf(query: Record<string, unknown>, fallback: number, max: number): number {
  const limit = singleQueryValue(query, 'limit');
  if (limit === undefined) return fallback;
  if (!(LIMIT.test(limit) && Number(limit) <= max)) invalidQueryValue('limit', `limit must be a whole number from 1 to ${max}`);
  return Number(limit);
}
