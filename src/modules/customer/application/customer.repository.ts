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
  /**
   * Holds, until the transaction ends, the creation locks of these contact points within a
   * scope (department id, or 0): two transactions locking a common contact point run one
   * after the other. Taken in one order, so two lockers never wait for each other.
   */
  abstract lockForCreation(scope: string, points: { attribute: string; key: string }[]): Promise<void>;
  /** Inserts the customer; throws `RetryableConflict` when another customer already holds the lookup key. */
  abstract create(customer: NewCustomer): Promise<string>;
}
