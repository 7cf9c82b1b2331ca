import { ECHOED_HEADER_MAX_CHARACTERS, ECHOED_VALUE_MAX_CHARACTERS, echoed, echoedHeader, echoedPath } from './echoed-value';

describe('echoed', () => {
  it('keeps the limits docs/start-conversation.md states: 64 characters of a value, 256 of a header', () => {
    expect(echoed('v'.repeat(65))).toBe(`${'v'.repeat(64)}…`);
    expect(echoedHeader('h'.repeat(257))).toBe(`${'h'.repeat(256)}…`);
  });

  it('repeats a value of up to the limit whole', () => {
    const uuid = 'fd9d9503-00da-4bf0-ba3d-f262b66b759d';
    expect(echoed(uuid)).toBe(uuid);
    expect(echoed('x'.repeat(ECHOED_VALUE_MAX_CHARACTERS))).toBe('x'.repeat(ECHOED_VALUE_MAX_CHARACTERS));
    expect(echoed('')).toBe('');
  });

  it('cuts a longer value after the limit and marks the cut', () => {
    expect(echoed('x'.repeat(ECHOED_VALUE_MAX_CHARACTERS + 1))).toBe(`${'x'.repeat(ECHOED_VALUE_MAX_CHARACTERS)}…`);
    expect(echoed('y'.repeat(100000))).toBe(`${'y'.repeat(ECHOED_VALUE_MAX_CHARACTERS)}…`);
  });

  it('counts characters, not UTF-16 units, and never splits one', () => {
    const emoji = '😀'.repeat(ECHOED_VALUE_MAX_CHARACTERS);
    expect(echoed(emoji)).toBe(emoji);
    expect(echoed(`${emoji}😀`)).toBe(`${emoji}…`);
    expect(echoed(`a${emoji}`)).toBe(`a${'😀'.repeat(ECHOED_VALUE_MAX_CHARACTERS - 1)}…`);
  });
});

describe('echoedHeader', () => {
  it('repeats a browser\'s Accept whole, cuts a longer header value after its own limit, and names an absent one', () => {
    const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
    expect(echoedHeader(browser)).toBe(browser);
    expect(echoedHeader('t'.repeat(10000))).toBe(`${'t'.repeat(ECHOED_HEADER_MAX_CHARACTERS)}…`);
    expect(echoedHeader(undefined)).toBe('(none)');
  });
});

describe('echoedPath', () => {
  it('keeps a path of real member names whole and cuts each over-long name on its own', () => {
    expect(echoedPath('activity.customer.contacts.contact.0.email.0.emailAddress')).toBe('activity.customer.contacts.contact.0.email.0.emailAddress');
    const long = 'n'.repeat(10000);
    expect(echoedPath(`activity.${long}.${long}`)).toBe(`activity.${echoed(long)}.${echoed(long)}`);
    expect(echoedPath(long)).toBe(`${'n'.repeat(ECHOED_VALUE_MAX_CHARACTERS)}…`);
  });
});
