import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A stored secret that cannot be decrypted: no key configured, another key, or an altered value. */
export class SecretUnreadable extends Error {}

/**
 * Secrets the platform has to use again, and so cannot hash (a receiver's Basic password or
 * OAuth2 client secret, the signing secret), are stored encrypted when a key is configured:
 * AES-256-GCM, `enc:v1:` + base64 of iv | ciphertext | tag. The context names the row and
 * purpose and is authenticated with the value, so a value copied to another row does not
 * decrypt. Plain values (written while no key was set) are still read as they are, so a key
 * can be introduced at any time; they are encrypted when next written.
 *
 * Previous keys only open: while a key is replaced, values sealed with the old one are still
 * read, and `reseal` moves each stored value to the current key.
 */
export class SecretBox {
  private constructor(
    private readonly key: Buffer | undefined,
    private readonly previous: readonly Buffer[],
  ) {}

  /** `key`: base64 of 32 random bytes (`openssl rand -base64 32`), or nothing for plain storage. */
  static fromBase64Key(key: string | undefined, previousKeys: readonly string[] = []): SecretBox {
    return new SecretBox(key === undefined || key === '' ? undefined : decodeKey(key), previousKeys.map(decodeKey));
  }

  seal(plain: string, context: string): string {
    if (!this.key) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context));
    const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return PREFIX + sealed.toString('base64');
  }

  open(stored: string, context: string): string {
    return stored.startsWith(PREFIX) ? this.openSealed(stored, context).plain : stored;
  }

  /**
   * The stored value as it should be stored now: sealed with the current key (plain when there
   * is none), or undefined when it already is. Throws SecretUnreadable as `open` does.
   */
  reseal(stored: string, context: string): string | undefined {
    if (!stored.startsWith(PREFIX)) return this.key ? this.seal(stored, context) : undefined;
    const { plain, byCurrentKey } = this.openSealed(stored, context);
    return byCurrentKey ? undefined : this.seal(plain, context);
  }

  /** Decodes a sealed value once and tries the current key, then the previous ones. */
  private openSealed(stored: string, context: string): { plain: string; byCurrentKey: boolean } {
    const keys = this.key ? [this.key, ...this.previous] : this.previous;
    if (keys.length === 0) throw new SecretUnreadable(`a stored secret (${context}) is encrypted and no secrets key is configured`);
    const sealed = Buffer.from(stored.slice(PREFIX.length), 'base64');
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadable(`a stored secret (${context}) is damaged`);
    for (const key of keys) {
      const plain = decrypt(key, sealed, context);
      if (plain !== undefined) return { plain, byCurrentKey: key === this.key };
    }
    throw new SecretUnreadable(`a stored secret (${context}) does not decrypt with the configured secrets key${this.previous.length > 0 ? 's' : ''}`);
  }
}

function decodeKey(key: string): Buffer {
  const bytes = Buffer.from(key, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== key) throw new Error(`the secrets key must be the base64 of ${KEY_BYTES} bytes`);
  return bytes;
}

/** The plaintext, or undefined when this key (or context) does not authenticate the value. */
function decrypt(key: Buffer, sealed: Buffer, context: string): string | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
