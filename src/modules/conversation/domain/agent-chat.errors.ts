import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';

export class ConversationNotFound extends AppError {
  constructor(conversationId: string) {
    super('ConversationNotFound', `conversation ${echoed(conversationId)} does not exist`, 'conversation.id');
  }
}

export class NotYourConversation extends AppError {
  constructor(conversationId: string) {
    super('NotYourConversation', `conversation ${echoed(conversationId)} is not assigned to this agent`, 'conversation.id');
  }
}

export class ConversationStateConflict extends AppError {
  constructor(conversationId: string, state: string, action: string) {
    super('ConversationStateConflict', `conversation ${echoed(conversationId)} is ${state}; it cannot be ${action}`, 'conversation.id');
  }
}

export class TransferTargetInvalid extends AppError {
  constructor(reason: string) {
    super('TransferTargetInvalid', reason, 'queue|agent');
  }
}
