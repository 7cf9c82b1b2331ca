import { Webhook } from 'standardwebhooks';
import { generateSigningSecret, signatureHeaders } from './signing';

describe('signing', () => {
  it('signs so that the standardwebhooks package verifies it', () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ message: [{ id: 'm1', content: 'héllo <b>&</b>' }] });
    const headers = signatureHeaders(secret, 'batch-1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fails verification with another secret or another body', () => {
    const secret = generateSigningSecret();
    const headers = signatureHeaders(secret, 'batch-1', new Date(), '{"message":[]}');
    expect(() => new Webhook(generateSigningSecret()).verify('{"message":[]}', { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify('{"message":[1]}', { ...headers })).toThrow();
  });

  it('uses whole seconds and generates distinct whsec_ secrets', () => {
    expect(signatureHeaders(generateSigningSecret(), 'x', new Date(1700000000999), '')['webhook-timestamp']).toBe('1700000000');
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generateSigningSecret()).not.toBe(a);
  });
});
