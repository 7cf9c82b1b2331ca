import { createHash } from 'node:crypto';
import { normalizeContactValue } from './contact-attribute';
import { LOOKUP_KEY_DIGEST_PREFIX, LOOKUP_KEY_MAX_LENGTH, contactLookupKey } from './contact-lookup-key';

const codePoints = (text: string) => [...text].length;
const digestKey = (normalized: string) => LOOKUP_KEY_DIGEST_PREFIX + createHash('sha256').update(normalized, 'utf8').digest('hex');

describe('contact lookup key', () => {
  it('is the normalized value when it fits the column', () => {
    expect(contactLookupKey('email.emailAddress', ' Ada@Example.COM ')).toBe('ada@example.com');
    expect(contactLookupKey('mobile.phone', '+44 (20) 7946-0000')).toBe('+442079460000');
    expect(contactLookupKey('externalId', 'x'.repeat(LOOKUP_KEY_MAX_LENGTH))).toBe('x'.repeat(LOOKUP_KEY_MAX_LENGTH));
    // Counted in characters, as the column counts them: 255 emoji are 510 UTF-16 units.
    expect(contactLookupKey('externalId', '\u{1F600}'.repeat(255))).toBe('\u{1F600}'.repeat(255));
  });

  it.each([
    ['externalId', '\u0958'.repeat(200), 400],
    ['social.twitterId', '\u0130'.repeat(200), 400],
    ['email.emailAddress', `${'\u0130'.repeat(60)}@${'\u0130'.repeat(150)}.com`, 425],
    ['custom.loyalty_id', 'L'.repeat(4000), 4000],
  ])('is a digest of the whole normalized value when normalization makes %s longer than the column', (attribute, value, normalizedLength) => {
    const normalized = normalizeContactValue(attribute, value);
    expect(codePoints(normalized)).toBe(normalizedLength);
    const key = contactLookupKey(attribute, value);
    expect(key).toBe(digestKey(normalized));
    expect(codePoints(key)).toBeLessThanOrEqual(LOOKUP_KEY_MAX_LENGTH);
  });

  it('gives the same key to every spelling of one long identifier', () => {
    const id = '\u0958'.repeat(200);
    expect(contactLookupKey('externalId', ` ${id.normalize('NFD')} `)).toBe(contactLookupKey('externalId', id));
    expect(contactLookupKey('social.instagramId', 'İ'.repeat(200))).toBe(contactLookupKey('social.instagramId', 'i\u0307'.repeat(200)));
  });

  it('never gives two identifiers that differ only after the 255th character the same key', () => {
    const common = '\u0958'.repeat(200);
    expect(contactLookupKey('externalId', `${common}a`)).not.toBe(contactLookupKey('externalId', `${common}b`));
    expect(contactLookupKey('externalId', common)).not.toBe(contactLookupKey('externalId', common.slice(0, 199)));
    const prefix = normalizeContactValue('externalId', common).slice(0, LOOKUP_KEY_MAX_LENGTH);
    expect(contactLookupKey('externalId', prefix)).toBe(prefix);
    expect(contactLookupKey('externalId', common)).not.toBe(prefix);
  });

  it('digests a short value that looks like a digest key, so that it cannot match one', () => {
    const long = 'L'.repeat(300);
    const lookalike = digestKey(long);
    expect(contactLookupKey('externalId', long)).toBe(lookalike);
    expect(contactLookupKey('externalId', lookalike)).toBe(digestKey(lookalike));
    expect(contactLookupKey('externalId', lookalike)).not.toBe(lookalike);
    expect(contactLookupKey('externalId', 'sha256:')).toBe(digestKey('sha256:'));
  });
});
