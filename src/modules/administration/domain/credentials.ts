import { randomBytes } from 'node:crypto';

/** Client ids are public and readable; secrets are 256 random bits, shown once and stored only as a hash. */
export function newClientId(): string {
  return `ca-${randomBytes(9).toString('base64url')}`;
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}
