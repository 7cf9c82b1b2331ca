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
  /** The entry point's department; the search and a new customer are confined to it when departmentalization is on. */
  departmentId: string;
}

export interface FoundCustomer {
  customerId: string;
  created: boolean;
}

/**
 * Finds the customer by one contact attribute, or creates it from the given details.
 * Runs inside the caller's transaction; a concurrent creation of the same customer
 * surfaces as `RetryableConflict` and the caller retries the whole transaction.
 */
@Injectable()
export class FindOrCreateCustomer {
  constructor(private readonly customers: CustomerRepository, private readonly settings: PlatformSettings) {}

  async execute(command: FindOrCreateCustomerCommand): Promise<FoundCustomer> {
    const { profile, searchAttribute } = command;
    const value = searchValueOf(profile.contact, searchAttribute);
    if (value === undefined) throw new Error(`searchable value for ${searchAttribute} missing; the command should have refused it`);
    const key = contactLookupKey(searchAttribute, value);
    const departmentalized = await this.settings.customerDepartmentalization();
    const departmentId = departmentalized ? command.departmentId : null;

    const found = await this.customers.findIdsByContact(searchAttribute, key, departmentId, 2);
    if (found.length > 1) throw new MultipleContactsFound(searchAttribute);
    if (found.length === 1) return { customerId: found[0], created: false };

    await this.checkContactCustomAttributes(profile);
    const contactPoints = contactPointsOf(profile.contact).map((p) => ({ ...p, key: contactLookupKey(p.attribute, p.value) }));
    const customerId = await this.customers.create({
      departmentId,
      profile,
      contactPoints,
      lookupKey: { attribute: searchAttribute, key, scope: departmentId ?? '0' },
    });
    return { customerId, created: true };
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
