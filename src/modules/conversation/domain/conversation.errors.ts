import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';

export class ConversationModeMissing extends AppError {
  constructor() {
    super('ConversationModeMissing', 'exactly one of anonymousCustomer and searchContactOnAttribute is required; neither was given', 'anonymousCustomer|searchContactOnAttribute');
  }
}

export class ConversationModeConflict extends AppError {
  constructor() {
    super('ConversationModeConflict', 'anonymousCustomer and searchContactOnAttribute exclude each other', 'anonymousCustomer|searchContactOnAttribute');
  }
}

export class ConversationContactNotAllowed extends AppError {
  constructor() {
    super('ConversationContactNotAllowed', 'conversationContact is allowed only with searchContactOnAttribute', 'conversationContact');
  }
}

export class CustomerRequired extends AppError {
  constructor() {
    super('CustomerRequired', 'activity.customer is required with searchContactOnAttribute', 'activity.customer');
  }
}

export class CustomerNotAllowed extends AppError {
  constructor() {
    super('CustomerNotAllowed', 'activity.customer is not allowed with anonymousCustomer=yes', 'activity.customer');
  }
}

export class SearchAttributeMissing extends AppError {
  constructor(attribute: string) {
    super('SearchAttributeMissing', `activity.customer holds no value for ${attribute}`, 'activity.customer', { attribute });
  }
}

export class SearchAttributeNotSearchable extends AppError {
  constructor(attribute: string) {
    super('SearchAttributeNotSearchable', `${echoed(attribute)} is not a configured, searchable contact attribute`, 'searchContactOnAttribute', { param: echoed(attribute) });
  }
}

export class ConversationContactMissing extends AppError {
  constructor(attribute: string) {
    super('ConversationContactMissing', `activity.customer holds no value for the conversation contact ${attribute}`, 'activity.customer', { attribute });
  }
}

export class CaseNotAllowedForAnonymous extends AppError {
  constructor() {
    super('CaseNotAllowedForAnonymous', 'activity.case is allowed only with searchContactOnAttribute', 'activity.case.id');
  }
}

export class SubjectInvalid extends AppError {
  constructor() {
    super('SubjectInvalid', 'activity.subject must be plain text of 1 to 255 characters', 'activity.subject');
  }
}

export class ContactCountInvalid extends AppError {
  constructor(count: number) {
    super('ContactCountInvalid', `an individual customer has exactly one contact person; got ${count}`, 'activity.customer.contacts.contact');
  }
}

export class ClientInfoInvalid extends AppError {
  constructor(field: string, reason: string) {
    super('ClientInfoInvalid', `activity.payload.chat.clientInfo.${field}: ${reason}`, `activity.payload.chat.clientInfo.${field}`, { field });
  }
}

export class EntryPointConfigurationChanged extends AppError {
  constructor(entryPointId: string) {
    super('EntryPointConfigurationChanged', `entry point ${entryPointId} changed since the given lastModified; fetch its configuration again`, 'entryPointConfiguration.lastModified.date', { entryPointId });
  }
}

export class ClientApplicationNotChat extends AppError {
  constructor(type: string) {
    super('ClientApplicationNotChat', `client applications of type ${type} cannot start chats`);
  }
}

export class AssignmentServiceNotRunning extends AppError {
  constructor() {
    super('AssignmentServiceNotRunning', 'no assignment worker has sent a heartbeat recently');
  }
}

export class NoAgentAvailable extends AppError {
  constructor(entryPointId: string) {
    super('NoAgentAvailable', `no agent of the queue of entry point ${entryPointId} is available with spare capacity`, 'entryPointConfiguration.entryPoint.id', { entryPointId });
  }
}

export class CallbackUrlDeactivated extends AppError {
  constructor() {
    super('CallbackUrlDeactivated', 'the client application callback URL is deactivated after repeated delivery failures; reactivate it first');
  }
}

export class ContactDetailInvalid extends AppError {
  constructor(field: string) {
    super('ContactDetailInvalid', `${field} is not a valid contact detail`, field, { field });
  }
}

export class ConversationNotFound extends AppError {
  constructor(conversationId: string) {
    super('ConversationNotFound', `conversation ${echoed(conversationId)} does not exist or belongs to another client application`, 'conversation.id');
  }
}

export class ConversationStateConflict extends AppError {
  constructor(conversationId: string, state: string, action: string) {
    super('ConversationStateConflict', `conversation ${echoed(conversationId)} is ${state}; cannot ${action}`, 'conversation.id');
  }
}

/** A transcript page asked to start after a message the conversation's transcript does not hold. */
export class TranscriptPositionUnknown extends AppError {
  constructor(messageId: string) {
    super('InvalidParameterValue', `after must be the id of a message of this conversation's transcript; ${echoed(messageId)} is not`, 'after', { param: 'after' });
  }
}
