import { AppError } from '../../../platform/errors/app-error';

export class MultipleContactsFound extends AppError {
  constructor(attribute: string) {
    super('MultipleContactsFound', `more than one customer matches ${attribute}`, `searchContactOnAttribute`, { attribute });
  }
}

export class CustomerCreationFailed extends AppError {
  constructor(reason: string) {
    super('CustomerCreationFailed', `customer could not be created: ${reason}`, 'activity.customer');
  }
}

export class ContactCustomAttributeUnknown extends AppError {
  constructor(name: string) {
    super('ContactCustomAttributeUnknown', `contact custom attribute ${name} is not configured`, `activity.customer.contacts.contact.customAttributes`, { name });
  }
}
