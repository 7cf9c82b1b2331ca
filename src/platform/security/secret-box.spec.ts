import { randomBytes } from 'node:crypto';
import { SecretBox, SecretUnreadable } from './secret-box';

describe('SecretBox', () => {
  const key = randomBytes(32).toString('base64');
  const box = SecretBox.fromBase64Key(key);

  it('seals so that only the same key and context open it, with a fresh IV every time', () => {
    const a = box.seal('whsec_c2VjcmV0', 'client_application/1/signing-secret');
    const b = box.seal('whsec_c2VjcmV0', 'client_application/1/signing-secret');
    expect(a).toMatch(/^enc:v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('c2VjcmV0');
    expect(box.open(a, 'client_application/1/signing-secret')).toBe('whsec_c2VjcmV0');
    expect(() => box.open(a, 'client_application/2/signing-secret')).toThrow(SecretUnreadable);
    expect(() => SecretBox.fromBase64Key(randomBytes(32).toString('base64')).open(a, 'client_application/1/signing-secret')).toThrow(SecretUnreadable);
  });

  it('refuses an altered or cut value', () => {
    const sealed = box.seal('p@ss wörd', 'ctx');
    const bytes = Buffer.from(sealed.slice('enc:v1:'.length), 'base64');
    bytes[14] ^= 1;
    expect(() => box.open(`enc:v1:${bytes.toString('base64')}`, 'ctx')).toThrow(SecretUnreadable);
    expect(() => box.open('enc:v1:AAAA', 'ctx')).toThrow(SecretUnreadable);
    expect(box.open(sealed, 'ctx')).toBe('p@ss wörd');
  });

  it('without a key stores plain, reads plain values either way, and cannot open sealed ones', () => {
    const plain = SecretBox.fromBase64Key(undefined);
    expect(plain.seal('s3cret', 'ctx')).toBe('s3cret');
    expect(box.open('s3cret', 'ctx')).toBe('s3cret');
    expect(() => plain.open(box.seal('s3cret', 'ctx'), 'ctx')).toThrow(/no secrets key is configured/);
  });

  it('takes only the base64 of 32 bytes as a key', () => {
    expect(() => SecretBox.fromBase64Key(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
    expect(() => SecretBox.fromBase64Key('not base64!')).toThrow(/32 bytes/);
    expect(SecretBox.fromBase64Key(key).seal('s3cret', 'ctx')).toMatch(/^enc:v1:/);
  });

  it('takes a key only as its base64 is written, though a lenient decoder reads 32 bytes from other spellings too', () => {
    const spellings = [`${key}x`, `${key.slice(0, 10)} ${key.slice(10)}`, key.replace(/=$/, ''), `${key}=`];
    for (const spelling of spellings) expect(() => SecretBox.fromBase64Key(spelling)).toThrow(/32 bytes/);
    expect(() => SecretBox.fromBase64Key(key, [`${key}x`])).toThrow(/32 bytes/);
  });
});

describe('SecretBox with previous keys (replacing SECRETS_KEY)', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  const old = SecretBox.fromBase64Key(oldKey);
  const during = SecretBox.fromBase64Key(newKey, [oldKey]);
  const after = SecretBox.fromBase64Key(newKey);

  it('opens values sealed with a previous key, and seals with the current one only', () => {
    const sealedOld = old.seal('s3cret', 'ctx');
    expect(during.open(sealedOld, 'ctx')).toBe('s3cret');
    const sealedNew = during.seal('s3cret', 'ctx');
    expect(after.open(sealedNew, 'ctx')).toBe('s3cret');
    expect(() => old.open(sealedNew, 'ctx')).toThrow(SecretUnreadable);
    expect(() => during.open(sealedOld, 'other ctx')).toThrow(/does not decrypt with the configured secrets keys/);
  });

  it('reseals plain values and those of a previous key under the current key, and leaves current ones alone', () => {
    const moved = during.reseal(old.seal('s3cret', 'ctx'), 'ctx');
    expect(moved).toMatch(/^enc:v1:/);
    expect(after.open(moved!, 'ctx')).toBe('s3cret');
    expect(after.open(during.reseal('plain', 'ctx')!, 'ctx')).toBe('plain');
    expect(during.reseal(after.seal('s3cret', 'ctx'), 'ctx')).toBeUndefined();
    expect(() => during.reseal(SecretBox.fromBase64Key(randomBytes(32).toString('base64')).seal('x', 'ctx'), 'ctx')).toThrow(SecretUnreadable);
  });

  it('with previous keys and no current key, stores plain again: how a key is removed', () => {
    const removing = SecretBox.fromBase64Key(undefined, [oldKey]);
    expect(removing.reseal(old.seal('s3cret', 'ctx'), 'ctx')).toBe('s3cret');
    expect(removing.reseal('s3cret', 'ctx')).toBeUndefined();
    expect(removing.seal('s3cret', 'ctx')).toBe('s3cret');
  });

  it('takes only the base64 of 32 bytes as a previous key', () => {
    expect(() => SecretBox.fromBase64Key(newKey, ['short'])).toThrow(/32 bytes/);
  });
});
