import type { ContactPoint, CustomerProfile } from '../domain/customer-profile';

export interface NewCustomer {
  departmentId: string | null;
  profile: CustomerProfile;
  /** Each with its lookup key (`contactLookupKey`), the value stored for searches. */
  contactPoints: (ContactPoint & { key: string })[];
  /** The contact point the customer was searched and created by; unique per scope. */
  lookupKey: { attribute: string; key: string; scope: string };
}

export abstract class CustomerRepository {
  /** Ids of customers with a contact point of this attribute and lookup key (at most `limit`), within a department or everywhere. */
  abstract findIdsByContact(attribute: string, key: string, departmentId: string | null, limit: number): Promise<string[]>;
  /** Inserts the customer; throws `RetryableConflict` when another customer already holds the lookup key. */
  abstract create(customer: NewCustomer): Promise<string>;
}
