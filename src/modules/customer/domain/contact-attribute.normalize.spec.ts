import {
  CONVERSATION_CONTACT_ATTRIBUTES,
  STANDARD_CONTACT_ATTRIBUTES,
  contactPointsOf,
  customAttributeName,
  isStandardContactAttribute,
  normalizeContactValue,
  searchValueOf,
  valuesOf,
} from './contact-attribute';
import type { ContactPerson } from './customer-profile';

const person: ContactPerson = {
  firstName: 'Ada',
  emails: ['', 'Ada@Example.com', 'ada.l@example.org'],
  phones: [{ type: 'home', number: '+44 20 7946 0001' }, { type: 'mobile', number: '+44 7700 900001' }, { type: 'mobile', number: '+44 7700 900002' }],
  socials: [{ type: 'facebook', id: 'ada.fb' }, { type: 'twitter', id: 'AdaL' }, { type: 'instagram', id: 'ada_l' }],
  externalId: 'crm-77',
  customAttributes: [{ name: 'loyalty_id', values: ['L-1'] }, { name: 'tier', values: ['gold'] }],
};

describe('contact attributes', () => {
  it('lists the nine kinds; conversationContact excludes externalId and custom attributes', () => {
    expect(STANDARD_CONTACT_ATTRIBUTES).toHaveLength(8);
    expect(CONVERSATION_CONTACT_ATTRIBUTES).not.toContain('externalId');
    expect(CONVERSATION_CONTACT_ATTRIBUTES).toHaveLength(7);
    expect(isStandardContactAttribute('office.phone')).toBe(true);
    expect(isStandardContactAttribute('custom.loyalty_id')).toBe(false);
  });

  it.each([
    ['custom.loyalty_id', 'loyalty_id'],
    ['custom.a.b-c_9', 'a.b-c_9'],
    ['custom.', undefined],
    ['custom.a b', undefined],
    [`custom.${'x'.repeat(65)}`, undefined],
    ['loyalty_id', undefined],
  ])('reads the custom attribute name of %p', (attribute, name) => {
    expect(customAttributeName(attribute)).toBe(name);
  });

  it.each([
    ['email.emailAddress', ['', 'Ada@Example.com', 'ada.l@example.org']],
    ['home.phone', ['+44 20 7946 0001']],
    ['mobile.phone', ['+44 7700 900001', '+44 7700 900002']],
    ['office.phone', []],
    ['social.facebookId', ['ada.fb']],
    ['social.twitterId', ['AdaL']],
    ['social.instagramId', ['ada_l']],
    ['externalId', ['crm-77']],
    ['custom.loyalty_id', ['L-1']],
    ['custom.nickname', []],
  ])('maps %s onto the wire shape', (attribute, values) => {
    expect(valuesOf(person, attribute)).toEqual(values);
  });

  it('searches on the first non-blank value', () => {
    expect(searchValueOf(person, 'email.emailAddress')).toBe('Ada@Example.com');
    expect(searchValueOf(person, 'mobile.phone')).toBe('+44 7700 900001');
    expect(searchValueOf(person, 'office.phone')).toBeUndefined();
  });

  it.each([
    ['email.emailAddress', '  Ada.Lovelace@Example.COM ', 'ada.lovelace@example.com'],
    ['social.twitterId', 'AdaL', 'adal'],
    ['social.facebookId', ' Ada.Lovelace', 'ada.lovelace'],
    ['social.instagramId', 'ADA_L', 'ada_l'],
    ['social.instagramId', '@Ada_L', 'ada_l'],
    ['social.twitterId', ' @AdaL', 'adal'],
    ['social.facebookId', '@ada.lovelace', 'ada.lovelace'],
    ['social.twitterId', '@', '@'],
    ['social.twitterId', '@@adal', '@adal'],
    ['home.phone', '+44 (20) 7946-0001', '+442079460001'],
    ['mobile.phone', '+1.555.010.0199', '+15550100199'],
    ['office.phone', '0049 30/123 456', '004930123456'],
    ['home.phone', '+44 (0)20 7946-0001', '+442079460001'],
    ['home.phone', '+44 020 7946 0001', '+442079460001'],
    ['mobile.phone', '+49 (0) 170 1234567', '+491701234567'],
    ['home.phone', '+39 (0)6 1234 5678', '+390612345678'],
    ['home.phone', '+39 06 1234 5678', '+390612345678'],
    ['home.phone', '+999 123 456', '+999123456'],
    ['home.phone', '+33\u00a01\u202f23\u00a045 67 89', '+33123456789'],
    ['mobile.phone', '+44 7700\u2013900\u2011001', '+447700900001'],
    ['office.phone', '030\u00a0123\u2013456', '030123456'],
    ['externalId', ' CRM-77 ', 'CRM-77'],
    ['custom.loyalty_id', ' L-1\t', 'L-1'],
    ['email.emailAddress', 'e\u0301@example.com', '\u00e9@example.com'],
    ['email.emailAddress', 'Ada@XN--BCHER-KVA.Example', 'ada@b\u00fccher.example'],
    ['email.emailAddress', 'ada@B\u00dcCHER.example', 'ada@b\u00fccher.example'],
    ['email.emailAddress', 'ada@\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45.com', 'ada@example.com'],
    ['email.emailAddress', 'ada@xn--zz.example', 'ada@xn--zz.example'],
    ['email.emailAddress', 'ada@0x7f.1', 'ada@0x7f.1'],
    ['email.emailAddress', 'Xn--Ada@Example.com', 'xn--ada@example.com'],
  ])('normalizes %s %p to %p', (attribute, value, normalized) => {
    expect(normalizeContactValue(attribute, value)).toBe(normalized);
  });

  it('keeps what normalization must not merge', () => {
    expect(normalizeContactValue('externalId', 'a')).not.toBe(normalizeContactValue('externalId', 'A'));
    expect(normalizeContactValue('home.phone', '+442079460001')).not.toBe(normalizeContactValue('home.phone', '00442079460001'));
    expect(normalizeContactValue('home.phone', '+39 06 1234 5678')).not.toBe(normalizeContactValue('home.phone', '+39 6 1234 5678'));
    expect(normalizeContactValue('home.phone', '020 7946 0001')).not.toBe(normalizeContactValue('home.phone', '20 7946 0001'));
    expect(normalizeContactValue('email.emailAddress', 'ada@fa\u00df.de')).not.toBe(normalizeContactValue('email.emailAddress', 'ada@fass.de'));
    expect(normalizeContactValue('email.emailAddress', 'ada@0x7f.0.0.1')).not.toBe(normalizeContactValue('email.emailAddress', 'ada@127.0.0.1'));
  });

  it('lists every non-blank contact point of a person for storage', () => {
    expect(contactPointsOf(person)).toEqual([
      { attribute: 'email.emailAddress', value: 'Ada@Example.com' },
      { attribute: 'email.emailAddress', value: 'ada.l@example.org' },
      { attribute: 'home.phone', value: '+44 20 7946 0001' },
      { attribute: 'mobile.phone', value: '+44 7700 900001' },
      { attribute: 'mobile.phone', value: '+44 7700 900002' },
      { attribute: 'social.facebookId', value: 'ada.fb' },
      { attribute: 'social.twitterId', value: 'AdaL' },
      { attribute: 'social.instagramId', value: 'ada_l' },
      { attribute: 'externalId', value: 'crm-77' },
      { attribute: 'custom.loyalty_id', value: 'L-1' },
      { attribute: 'custom.tier', value: 'gold' },
    ]);
  });
});
