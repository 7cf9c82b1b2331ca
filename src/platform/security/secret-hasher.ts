import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(secret: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Secrets and passwords are stored only as scrypt hashes: `scrypt$N$r$p$salt$hash` (base64). */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(secret, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The hash of a secret nobody holds (its secret was thrown away), with the parameters of
 * hashSecret: checked when no account matches, so that a login for an unknown client key or
 * user name takes as long as a wrong secret for a known one.
 */
const NO_ACCOUNT_HASH = 'scrypt$16384$8$1$nmzmz2ksjIwRpJqXO3kTGQ==$V/uO9AVeI5nOiHD0MzujRsp1NG1UFyrfdTJD19BMBiI=';

/**
 * Checks a login's secret against the stored hash of the account it names, or, when there is
 * no such account (`stored` undefined), against a hash nobody can match, at the same cost:
 * answering an unknown name faster than a wrong secret would tell which names exist.
 */
export async function verifyCredential(secret: string, stored: string | undefined): Promise<boolean> {
  const ok = await verifySecret(secret, stored ?? NO_ACCOUNT_HASH);
  return ok && stored !== undefined;
}
