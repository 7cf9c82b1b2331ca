import type { ContactPerson } from './customer-profile';
import { contactPointsOf, invalidContactField, normalizeContactValue, searchValueOf, valuesOf } from './contact-attribute';

const contact = (over: Partial<ContactPerson> = {}): ContactPerson => ({
  firstName: 'Ada',
  emails: ['ada@example.com'],
  phones: [{ type: 'mobile', number: '+44 20 7946 0000' }, { type: 'home', number: '020 1234' }],
  socials: [{ type: 'twitter', id: 'Ada_L' }],
  externalId: 'crm-77',
  customAttributes: [{ name: 'loyalty_id', values: ['L-1'] }],
  ...over,
});

describe('contact attributes', () => {
  it('maps attribute paths onto the contact shape', () => {
    expect(valuesOf(contact(), 'mobile.phone')).toEqual(['+44 20 7946 0000']);
    expect(valuesOf(contact(), 'office.phone')).toEqual([]);
    expect(valuesOf(contact(), 'social.twitterId')).toEqual(['Ada_L']);
    expect(valuesOf(contact(), 'custom.loyalty_id')).toEqual(['L-1']);
    expect(searchValueOf(contact({ emails: [' ', 'b@example.com'] }), 'email.emailAddress')).toBe('b@example.com');
  });

  it('normalizes so that formatting differences find the same customer', () => {
    expect(normalizeContactValue('email.emailAddress', ' Ada@Example.COM ')).toBe('ada@example.com');
    expect(normalizeContactValue('mobile.phone', '+44 (20) 7946-0000')).toBe('+442079460000');
    expect(normalizeContactValue('social.twitterId', 'Ada_L')).toBe('ada_l');
    expect(normalizeContactValue('externalId', ' CRM-77 ')).toBe('CRM-77');
  });

  it('lists every contact point of a contact', () => {
    expect(contactPointsOf(contact()).map((p) => p.attribute)).toEqual([
      'email.emailAddress', 'mobile.phone', 'home.phone', 'social.twitterId', 'externalId', 'custom.loyalty_id',
    ]);
  });

  it.each([
    [{ emails: ["x' OR 1=1 --"] }, 'activity.customer.contacts.contact.email.emailAddress'],
    [{ emails: ['<script>@x'] }, 'activity.customer.contacts.contact.email.emailAddress'],
    [{ phones: [{ type: 'mobile', number: '1; DROP TABLE x' }] }, 'activity.customer.contacts.contact.phone.phoneNo'],
    [{ phones: [{ type: 'mobile', number: '+()' }] }, 'activity.customer.contacts.contact.phone.phoneNo'],
    [{ firstName: 'A\u0000da' }, 'activity.customer.contacts.contact.firstName'],
    [{ firstName: 'A\u0085da' }, 'activity.customer.contacts.contact.firstName'],
    [{ externalId: 'crm\u009b77' }, 'activity.customer.contacts.contact.externalId'],
    [{ lastName: '<b>x</b>' }, 'activity.customer.contacts.contact.lastName'],
    [{ socials: [{ type: 'instagram', id: 'a b' }] }, 'activity.customer.contacts.contact.social.socialId'],
    [{ emails: ['ada\u0000l@example.com'] }, 'activity.customer.contacts.contact.email.emailAddress'],
    [{ emails: ['ada\u001bl@example.com'] }, 'activity.customer.contacts.contact.email.emailAddress'],
    [{ emails: ['ada\u0085l@example.com'] }, 'activity.customer.contacts.contact.email.emailAddress'],
    [{ socials: [{ type: 'instagram', id: 'ada\u0000l' }] }, 'activity.customer.contacts.contact.social.socialId'],
    [{ socials: [{ type: 'instagram', id: 'ada\u009bl' }] }, 'activity.customer.contacts.contact.social.socialId'],
  ])('refuses impossible contact details %p', (over, field) => {
    expect(invalidContactField(contact(over as Partial<ContactPerson>))).toBe(field);
  });

  it.each([
    ['an e-mail address whose local part passes the 64 characters RFC 5321 allows', { emails: [`${'a'.repeat(65)}@example.com`] }, { emails: [`${'a'.repeat(64)}@example.com`] }, 'email.emailAddress'],
    ['a phone number of fewer than three digits', { phones: [{ type: 'mobile', number: '+1 2' }] }, { phones: [{ type: 'mobile', number: '+1 23' }] }, 'phone.phoneNo'],
    ['a blank externalId', { externalId: '  ' }, { externalId: ' x ' }, 'externalId'],
  ])('refuses %s, and accepts the detail at the bound', (_name, refused, accepted, field) => {
    expect(invalidContactField(contact(refused as Partial<ContactPerson>))).toBe(`activity.customer.contacts.contact.${field}`);
    expect(invalidContactField(contact(accepted as Partial<ContactPerson>))).toBeUndefined();
  });

  it("accepts real-world details such as O'Brien and plus-addressing", () => {
    expect(invalidContactField(contact({ lastName: "O'Brien", emails: ['ada+shop@example.co.uk'] }))).toBeUndefined();
    // Numbers copied from a page or a document: no-break and narrow no-break spaces, an en dash.
    expect(invalidContactField(contact({ phones: [{ type: 'mobile', number: '+33\u00a06\u202f12\u00a034\u00a056\u00a078' }, { type: 'home', number: '+44 20 7946\u20130000' }] }))).toBeUndefined();
  });
});
