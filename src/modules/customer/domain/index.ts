/** The customer module's domain vocabulary other modules' domain code may use (framework-free). */
export type { CustomerProfile, ContactPerson } from './customer-profile';
export {
  CONVERSATION_CONTACT_ATTRIBUTES,
  STANDARD_CONTACT_ATTRIBUTES,
  customAttributeName,
  invalidContactField,
  isStandardContactAttribute,
  normalizeContactValue,
  searchValueOf,
  valuesOf,
} from './contact-attribute';
export { contactLookupKey } from './contact-lookup-key';
