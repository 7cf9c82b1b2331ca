import { Injectable } from '@nestjs/common';
import { PlatformSettings } from '../../../../platform/settings/settings';
import { checkAttributeValue } from '../../../../platform/settings/attribute-rules';
import { AttributeValueRejected } from '../../../../platform/settings/attribute-errors';
import { contactPointsOf, searchValueOf } from '../../domain/contact-attribute';
import { contactLookupKey } from '../../domain/contact-lookup-key';
import { ContactCustomAttributeUnknown, MultipleContactsFound } from '../../domain/customer.errors';
import type { CustomerProfile } from '../../domain/customer-profile';
import { CustomerRepository } from '../customer.repository';

export interface FindOrCreateCustomerCommand {
  profile: CustomerProfile;
  searchAttribute: string;
  /** The searched value's contactLookupKey, when the caller has computed it already (normalizing a phone number costs ~9 µs). */
  searchKey?: string;
  /** The entry point's department; the search and a new customer are confined to it when departmentalization is on. */
  departmentId: string;
}

export interface FoundCustomer {
  customerId: string;
  created: boolean;
}

/**
 * Finds the customer by one contact attribute, or creates it from the given details.
 * Runs inside the caller's transaction, which must read committed rows (READ COMMITTED):
 * a creation waits for a concurrent one sharing a contact point, then searches again. A
 * concurrent creation of the same lookup key that still gets through surfaces as
 * `RetryableConflict` and the caller retries the whole transaction.
 */
@Injectable()
export class FindOrCreateCustomer {
  constructor(private readonly customers: CustomerRepository, private readonly settings: PlatformSettings) {}

  async execute(command: FindOrCreateCustomerCommand): Promise<FoundCustomer> {
    const { profile, searchAttribute } = command;
    const value = searchValueOf(profile.contact, searchAttribute);
    if (value === undefined) throw new Error(`searchable value for ${searchAttribute} missing; the command should have refused it`);
    const key = command.searchKey ?? contactLookupKey(searchAttribute, value);
    const departmentalized = await this.settings.customerDepartmentalization();
    const departmentId = departmentalized ? command.departmentId : null;

    const scope = departmentId ?? '0';

    const found = await this.find(searchAttribute, key, departmentId);
    if (found !== undefined) return { customerId: found, created: false };

    // Another start may be creating this customer now, found by another of its contact points
    // (its e-mail address where this one searches its mobile number), which the unique lookup
    // key cannot see. Every creation locks all the contact points it stores, this search's
    // among them, and searches again once it holds them: a start that waited on one finds
    // the customer the other committed (read committed: each search sees the latest commit).
    // The searched value is among the contact points: its key, already computed, is not normalized again (a phone number's costs ~9 µs).
    const keyOf = (attribute: string, contactValue: string) => (attribute === searchAttribute && contactValue === value ? key : contactLookupKey(attribute, contactValue));
    const contactPoints = contactPointsOf(profile.contact).map((p) => ({ ...p, key: keyOf(p.attribute, p.value) }));
    await this.customers.lockForCreation(scope, [{ attribute: searchAttribute, key }, ...contactPoints]);
    const foundOnceLocked = await this.find(searchAttribute, key, departmentId);
    if (foundOnceLocked !== undefined) return { customerId: foundOnceLocked, created: false };

    await this.checkContactCustomAttributes(profile);
    const customerId = await this.customers.create({
      departmentId,
      profile,
      contactPoints,
      lookupKey: { attribute: searchAttribute, key, scope },
    });
    return { customerId, created: true };
  }

  /** The one customer the search finds, undefined for none; more than one is 400-129. */
  private async find(attribute: string, key: string, departmentId: string | null): Promise<string | undefined> {
    const found = await this.customers.findIdsByContact(attribute, key, departmentId, 2);
    if (found.length > 1) throw new MultipleContactsFound(attribute);
    return found[0];
  }

  private async checkContactCustomAttributes(profile: CustomerProfile): Promise<void> {
    for (const attribute of profile.contact.customAttributes) {
      const definition = await this.settings.attributeDefinition('contact', attribute.name);
      if (!definition) throw new ContactCustomAttributeUnknown(attribute.name);
      for (const value of attribute.values) {
        const violation = checkAttributeValue(definition, value);
        if (violation) throw new AttributeValueRejected(violation, definition, 'activity.customer.contacts.contact.customAttributes');
      }
    }
  }
}
