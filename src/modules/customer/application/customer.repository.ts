import type { ContactPoint, CustomerProfile } from '../domain/customer-profile';

export interface NewCustomer {
  departmentId: string | null;
  profile: CustomerProfile;
  contactPoints: (ContactPoint & { normalizedValue: string })[];
  /** The contact point the customer was searched and created by; unique per scope. */
  lookupKey: { attribute: string; normalizedValue: string; scope: string };
}

export abstract class CustomerRepository {
  /** Ids of customers with this contact point (at most `limit`), within a department or everywhere. */
  abstract findIdsByContact(attribute: string, normalizedValue: string, departmentId: string | null, limit: number): Promise<string[]>;
  /** Inserts the customer; throws `RetryableConflict` when another customer already holds the lookup key. */
  abstract create(customer: NewCustomer): Promise<string>;
}
