import { createHash } from 'node:crypto';
import { ResourceChanged } from '../domain/administration.errors';

/** What an `If-Match` header asks of a change: that the resource exists (`*`), or that it is still at one of these versions. */
export type ExpectedVersion = '*' | readonly string[];

/**
 * Fields that are not part of the version. An agent's open chats move with every assignment,
 * outside administration: a version holding them would turn every change of a busy agent into
 * a 412 although nothing an administrator sets had changed. Secrets are answered once, by the
 * change that makes them, and are no part of the state a later reading shows.
 */
const NOT_VERSIONED = new Set(['activeChats', 'clientSecret', 'callbackSigningSecret']);

/**
 * The version of a resource as the administration API reads it: a digest of its state (the
 * repositories build each resource with its fields in one order), which changes with any field
 * an administrator or the resource's own routes (an agent's presence) can change. Answered as
 * the `ETag` of the resource.
 */
export function versionOf(resource: object): string {
  const state = JSON.stringify(resource, (key, value: unknown) => (NOT_VERSIONED.has(key) ? undefined : value));
  return createHash('sha256').update(state).digest('base64url').slice(0, 27);
}

/** A change on a version that is no longer the resource's (checked on the row read under its lock): 412, before anything is written. */
export function checkVersion(resource: string, id: string | undefined, current: object, expected: ExpectedVersion | undefined): void {
  if (expected === undefined || expected === '*') return;
  if (!expected.includes(versionOf(current))) throw new ResourceChanged(resource, id);
}
