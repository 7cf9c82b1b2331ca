import { ReferenceNotFound, ResourceNotFound } from '../domain/administration.errors';

/** The resource a path id names, or 404. */
export function found<T>(value: T | undefined, resource: string, id: string): T {
  if (value === undefined) throw new ResourceNotFound(resource, id);
  return value;
}

/** The resource a body field refers to, or 400 naming the field. */
export function referenced<T>(value: T | undefined, resource: string, id: string, field: string): T {
  if (value === undefined) throw new ReferenceNotFound(resource, id, field);
  return value;
}
