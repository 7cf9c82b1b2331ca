/** The customer as a client application describes it in a start request. */
export interface CustomerProfile {
  type: string;
  contact: ContactPerson;
}

export interface ContactPerson {
  firstName?: string;
  lastName?: string;
  emails: string[];
  phones: { type: string; number: string }[];
  socials: { type: string; id: string }[];
  externalId?: string;
  customAttributes: { name: string; values: string[] }[];
}

/** One contact point of a customer, as stored and searched. */
export interface ContactPoint {
  attribute: string;
  value: string;
}
