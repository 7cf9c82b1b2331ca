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
});
