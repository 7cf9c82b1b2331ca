import * as crypto from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { generateSigningSecret, signatureHeaders } from './signing';

describe('signing', () => {
  it('signs so that the standardwebhooks package verifies it', () => {
    const secret = generateSigningSecret();
    const body = JSON.stringify({ message: [{ id: 'm1', content: 'héllo <b>&</b>' }] });
    const headers = signatureHeaders([secret], 'batch-1', new Date(), body);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fails verification with another secret or another body', () => {
    const secret = generateSigningSecret();
    const headers = signatureHeaders([secret], 'batch-1', new Date(), '{"message":[]}');
    expect(() => new Webhook(generateSigningSecret()).verify('{"message":[]}', { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify('{"message":[1]}', { ...headers })).toThrow();
  });

  it('signs with every secret given, current first, so that a receiver holding either verifies', () => {
    const [current, previous] = [generateSigningSecret(), generateSigningSecret()];
    const body = '{"message":[]}';
    const headers = signatureHeaders([current, previous], 'batch-3', new Date(), body);
    const signatures = headers['webhook-signature'].split(' ');
    expect(signatures).toHaveLength(2);
    expect(signatures[0]).toBe(signatureHeaders([current], 'batch-3', new Date(Number(headers['webhook-timestamp']) * 1000), body)['webhook-signature']);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual({ message: [] });
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual({ message: [] });
    expect(() => new Webhook(generateSigningSecret()).verify(body, { ...headers })).toThrow();
  });

  it('uses whole seconds and generates distinct whsec_ secrets', () => {
    expect(signatureHeaders([generateSigningSecret()], 'x', new Date(1700000000999), '')['webhook-timestamp']).toBe('1700000000');
    const a = generateSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(generateSigningSecret()).not.toBe(a);
  });

  it('verifies with the plain Node.js snippet of docs/webhooks.md', () => {
    // Verbatim from the documentation, so the documented code is known to work.
    function verifyCallback(secret: string, headers: Record<string, string | undefined>, rawBody: string) {
      const id = headers['webhook-id'], timestamp = headers['webhook-timestamp'];
      if (!id || !timestamp || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
      const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
      const expected = crypto.createHmac('sha256', key).update(`${id}.${timestamp}.${rawBody}`).digest();
      return String(headers['webhook-signature'] ?? '').split(' ').some((entry) => {
        const [version, signature] = entry.split(',');
        const given = Buffer.from(signature ?? '', 'base64');
        return version === 'v1' && given.length === expected.length && crypto.timingSafeEqual(given, expected);
      });
    }
    const secret = generateSigningSecret();
    const body = '<?xml version="1.0"?><messages><message><id>m1</id></message></messages>';
    const at = new Date();
    const headers = { ...signatureHeaders([secret], 'batch-2', at, body) };
    expect(verifyCallback(secret, headers, body)).toBe(true);
    expect(verifyCallback(secret, headers, body + ' ')).toBe(false);
    expect(verifyCallback(secret, { ...signatureHeaders([secret], 'batch-2', new Date(Date.now() - 600_000), body) }, body)).toBe(false);
    const legacy = new Webhook(secret).sign('batch-2', at, body);
    expect(verifyCallback(secret, { ...headers, 'webhook-signature': `v1,AAAA ${legacy}` }, body)).toBe(true);
  });
});
