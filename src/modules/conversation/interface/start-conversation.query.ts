import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';
import { CONVERSATION_CONTACT_ATTRIBUTES, STANDARD_CONTACT_ATTRIBUTES, customAttributeName } from '../../customer/domain';
import { checkCustomerModeParameters } from '../domain/start-conversation.command';

const SUPPORTED = ['anonymousCustomer', 'searchContactOnAttribute', 'sendTypingNotification', 'conversationContact'] as const;

export interface StartConversationQuery {
  anonymousCustomer: boolean;
  searchContactOnAttribute?: string;
  conversationContact?: string;
  sendTypingNotification: boolean;
}

/**
 * The query string of a start: only the four supported parameters, each at most once,
 * each value from its allowed list, in an allowed combination. Checked before the body,
 * so that a request with a wrong query is told so whatever its body.
 */
export function parseStartConversationQuery(query: Record<string, unknown>): StartConversationQuery {
  for (const [name, value] of Object.entries(query)) {
    if (!(SUPPORTED as readonly string[]).includes(name)) {
      // `?=yes` names a parameter with no name, which a message would repeat as nothing at all.
      const shown = name === '' ? '(empty name)' : echoed(name);
      throw new AppError('UnsupportedParameter', `query parameter ${shown} is not supported`, shown, { param: shown });
    }
    if (typeof value !== 'string') throw new AppError('RepeatedParameter', `query parameter ${name} is given more than once`, name, { param: name });
  }
  const q = query as Partial<Record<(typeof SUPPORTED)[number], string>>;
  if (q.anonymousCustomer !== undefined && q.anonymousCustomer !== 'yes') invalid('anonymousCustomer', 'yes');
  if (q.sendTypingNotification !== undefined && q.sendTypingNotification !== 'yes' && q.sendTypingNotification !== 'no') invalid('sendTypingNotification', 'yes, no');
  const search = q.searchContactOnAttribute;
  if (search !== undefined && !(STANDARD_CONTACT_ATTRIBUTES as readonly string[]).includes(search) && customAttributeName(search) === undefined) {
    invalid('searchContactOnAttribute', [...STANDARD_CONTACT_ATTRIBUTES, 'custom.<attributeName>'].join(', '));
  }
  if (q.conversationContact !== undefined && !(CONVERSATION_CONTACT_ATTRIBUTES as readonly string[]).includes(q.conversationContact)) {
    invalid('conversationContact', CONVERSATION_CONTACT_ATTRIBUTES.join(', '));
  }
  const params: StartConversationQuery = {
    anonymousCustomer: q.anonymousCustomer === 'yes',
    searchContactOnAttribute: search,
    conversationContact: q.conversationContact,
    sendTypingNotification: q.sendTypingNotification === 'yes',
  };
  checkCustomerModeParameters(params);
  return params;
}

function invalid(param: string, allowed: string): never {
  throw new AppError('InvalidParameterValue', `${param} must be one of: ${allowed}`, param, { param });
}
