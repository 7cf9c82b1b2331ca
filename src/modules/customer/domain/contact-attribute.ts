import { domainToUnicode } from 'node:url';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { MARKUP, NOT_IN_ONE_LINE } from '../../../platform/text/text-rules';
import type { ContactPerson, ContactPoint } from './customer-profile';

/**
 * The contact attributes a customer can be searched on, and how each maps onto the
 * wire shape of a contact person. One source of truth for the attribute lists.
 */
export const STANDARD_CONTACT_ATTRIBUTES = [
  'email.emailAddress',
  'home.phone',
  'mobile.phone',
  'office.phone',
  'social.facebookId',
  'social.twitterId',
  'social.instagramId',
  'externalId',
] as const;

export type StandardContactAttribute = (typeof STANDARD_CONTACT_ATTRIBUTES)[number];

/** `conversationContact` takes the contact points only: no externalId, no custom attributes. */
export const CONVERSATION_CONTACT_ATTRIBUTES: readonly StandardContactAttribute[] = STANDARD_CONTACT_ATTRIBUTES.filter((a) => a !== 'externalId');

export const CUSTOM_ATTRIBUTE_PREFIX = 'custom.';

const PHONE_TYPES: Partial<Record<string, string>> = { 'home.phone': 'home', 'mobile.phone': 'mobile', 'office.phone': 'office' };
const SOCIAL_TYPES: Partial<Record<string, string>> = { 'social.facebookId': 'facebook', 'social.twitterId': 'twitter', 'social.instagramId': 'instagram' };

export function isStandardContactAttribute(value: string): value is StandardContactAttribute {
  return (STANDARD_CONTACT_ATTRIBUTES as readonly string[]).includes(value);
}

/** The name after `custom.`, or undefined when the attribute is not a custom one. */
export function customAttributeName(attribute: string): string | undefined {
  if (!attribute.startsWith(CUSTOM_ATTRIBUTE_PREFIX)) return undefined;
  const name = attribute.slice(CUSTOM_ATTRIBUTE_PREFIX.length);
  return /^[A-Za-z0-9_.-]{1,64}$/.test(name) ? name : undefined;
}

/** Every value the contact holds for an attribute, in the order given. */
export function valuesOf(contact: ContactPerson, attribute: string): string[] {
  if (attribute === 'email.emailAddress') return contact.emails;
  const phoneType = PHONE_TYPES[attribute];
  if (phoneType) return contact.phones.filter((p) => p.type === phoneType).map((p) => p.number);
  const socialType = SOCIAL_TYPES[attribute];
  if (socialType) return contact.socials.filter((s) => s.type === socialType).map((s) => s.id);
  if (attribute === 'externalId') return contact.externalId ? [contact.externalId] : [];
  const custom = customAttributeName(attribute);
  if (custom !== undefined) return contact.customAttributes.filter((a) => a.name === custom).flatMap((a) => a.values);
  return [];
}

/** The value a search uses: the first one given for the attribute. */
export function searchValueOf(contact: ContactPerson, attribute: string): string | undefined {
  return valuesOf(contact, attribute).find((v) => v.trim() !== '');
}

/**
 * Values are compared after normalization so that `Ada@Example.com ` and
 * `ada@example.com` find the same customer, and `+44 20-7946 0000` matches `+442079460000`.
 */
export function normalizeContactValue(attribute: string, value: string): string {
  const trimmed = value.trim().normalize('NFC');
  if (attribute === 'email.emailAddress') return normalizeEmailAddress(trimmed);
  // A handle is written with or without its '@' ('@ada_l' on a profile, 'ada_l' in its URL); no id of the three networks holds one.
  if (attribute.startsWith('social.')) return trimmed.toLowerCase().replace(/^@(?=.)/, '');
  if (attribute.endsWith('.phone')) return normalizePhoneNumber(trimmed);
  return trimmed;
}

/**
 * Lower-cased, and an internationalised domain in its Unicode form: `ada@xn--bcher-kva.example`
 * is `ada@bücher.example`, one mailbox however the client spells its domain (IDNA, UTS 46).
 * A domain all ASCII without an `xn--` label is only lower-cased: the URL parser that maps
 * domains would read some of those (`0x7f.1`) as IP addresses. One it refuses stays as it is.
 */
function normalizeEmailAddress(address: string): string {
  const lower = address.toLowerCase();
  const at = lower.lastIndexOf('@');
  const domain = lower.slice(at + 1);
  if (at < 0 || (/^[\x00-\x7f]*$/.test(domain) && !/(^|\.)xn--/.test(domain))) return lower;
  const unicode = domainToUnicode(domain);
  return unicode === '' ? lower : `${lower.slice(0, at)}@${unicode}`;
}

/** What a phone number is written with besides its digits: spaces (no-break and narrow ones too), dashes (– too), `( ) . /`. */
const SEPARATORS = /[\s\p{Pd}().\/]/gu;

/**
 * Without spaces, dashes, `( ) . /`; a number in international form (`+`) that libphonenumber reads
 * is its E.164 form, so the national prefix written after the country code is dropped where
 * that country drops it (`+44 (0)20 7946 0000` and `+44 020 7946 0000` are `+442079460000`)
 * and kept where it is part of the number (`+39 06 …` keeps its 0). Without `+` there is no
 * country to read the number in, so `0044…` stays apart from `+44…`.
 */
function normalizePhoneNumber(number: string): string {
  const stripped = number.replace(SEPARATORS, '');
  return (stripped.startsWith('+') && parsePhoneNumberFromString(stripped)?.number) || stripped;
}

/** All contact points of a contact person, to be stored with a new customer. */
export function contactPointsOf(contact: ContactPerson): ContactPoint[] {
  const points: ContactPoint[] = [];
  for (const email of contact.emails) points.push({ attribute: 'email.emailAddress', value: email });
  for (const phone of contact.phones) {
    const attribute = Object.keys(PHONE_TYPES).find((k) => PHONE_TYPES[k] === phone.type);
    if (attribute) points.push({ attribute, value: phone.number });
  }
  for (const social of contact.socials) {
    const attribute = Object.keys(SOCIAL_TYPES).find((k) => SOCIAL_TYPES[k] === social.type);
    if (attribute) points.push({ attribute, value: social.id });
  }
  if (contact.externalId) points.push({ attribute: 'externalId', value: contact.externalId });
  for (const attr of contact.customAttributes) for (const value of attr.values) points.push({ attribute: CUSTOM_ATTRIBUTE_PREFIX + attr.name, value });
  return points.filter((p) => p.value.trim() !== '');
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
/** As long as the request allows a phone number (64 characters); any space or dash, as text copied from a page or a document has them (U+00A0, U+202F, U+2013). */
const PHONE = /^\+?[0-9\p{Zs}\p{Pd}().\/]{3,64}$/u;
/** Counted in code points (`u`), as the request's limit and the column count them. */
const SOCIAL_ID = /^[^\s<>"'`;]{1,255}$/u;

/**
 * The first contact detail that cannot be a real one, as the path of its field in the
 * request, or undefined. Values are stored as given (and always bound as parameters);
 * this only refuses what no customer can have: control characters, U+FFFE and U+FFFF, markup, an e-mail
 * address without a domain, a phone number without digits.
 */
export function invalidContactField(contact: ContactPerson): string | undefined {
  const base = 'activity.customer.contacts.contact';
  for (const [field, value] of [['firstName', contact.firstName], ['lastName', contact.lastName]] as const) {
    if (value !== undefined && (NOT_IN_ONE_LINE.test(value) || MARKUP.test(value))) return `${base}.${field}`;
  }
  // The shapes below leave out white space, which is not every control character (NUL, ESC, C1).
  if (contact.emails.some((e) => !EMAIL.test(e.trim()) || NOT_IN_ONE_LINE.test(e))) return `${base}.email.emailAddress`;
  if (contact.phones.some((p) => !PHONE.test(p.number.trim()) || (p.number.match(/\d/g) ?? []).length < 3)) return `${base}.phone.phoneNo`;
  if (contact.socials.some((s) => !SOCIAL_ID.test(s.id.trim()) || NOT_IN_ONE_LINE.test(s.id))) return `${base}.social.socialId`;
  if (contact.externalId !== undefined && (NOT_IN_ONE_LINE.test(contact.externalId) || contact.externalId.trim() === '')) return `${base}.externalId`;
  return undefined;
}
