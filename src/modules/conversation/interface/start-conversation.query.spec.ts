import { AppError } from '../../../platform/errors/app-error';
import { CONVERSATION_CONTACT_ATTRIBUTES, STANDARD_CONTACT_ATTRIBUTES } from '../../customer/domain';
import { parseStartConversationQuery } from './start-conversation.query';

function refusal(query: Record<string, unknown>): AppError {
  try {
    parseStartConversationQuery(query);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseStartConversationQuery', () => {
  it('reads the anonymous mode with defaults', () => {
    expect(parseStartConversationQuery({ anonymousCustomer: 'yes' })).toEqual({
      anonymousCustomer: true, searchContactOnAttribute: undefined, conversationContact: undefined, sendTypingNotification: false,
    });
  });

  it('reads a search with every optional parameter', () => {
    expect(parseStartConversationQuery({ searchContactOnAttribute: 'email.emailAddress', conversationContact: 'mobile.phone', sendTypingNotification: 'yes' })).toEqual({
      anonymousCustomer: false, searchContactOnAttribute: 'email.emailAddress', conversationContact: 'mobile.phone', sendTypingNotification: true,
    });
    expect(parseStartConversationQuery({ anonymousCustomer: 'yes', sendTypingNotification: 'no' }).sendTypingNotification).toBe(false);
  });

  it.each([...STANDARD_CONTACT_ATTRIBUTES, 'custom.loyalty_id', 'custom.a-b.c_1'])('accepts searchContactOnAttribute=%s', (attribute) => {
    expect(parseStartConversationQuery({ searchContactOnAttribute: attribute }).searchContactOnAttribute).toBe(attribute);
  });

  it.each(CONVERSATION_CONTACT_ATTRIBUTES)('accepts conversationContact=%s', (attribute) => {
    expect(parseStartConversationQuery({ searchContactOnAttribute: 'externalId', conversationContact: attribute }).conversationContact).toBe(attribute);
  });

  it.each([
    [{}, 'ConversationModeMissing', 'anonymousCustomer|searchContactOnAttribute'],
    [{ sendTypingNotification: 'yes' }, 'ConversationModeMissing', 'anonymousCustomer|searchContactOnAttribute'],
    [{ anonymousCustomer: 'yes', searchContactOnAttribute: 'externalId' }, 'ConversationModeConflict', 'anonymousCustomer|searchContactOnAttribute'],
    [{ anonymousCustomer: 'yes', conversationContact: 'home.phone' }, 'ConversationContactNotAllowed', 'conversationContact'],
    [{ anonymousCustomer: 'yes', entrypoint: '1001' }, 'UnsupportedParameter', 'entrypoint'],
    [{ '': 'yes', anonymousCustomer: 'yes' }, 'UnsupportedParameter', '(empty name)'],
    [{ anonymousCustomer: ['yes', 'yes'] }, 'RepeatedParameter', 'anonymousCustomer'],
    [{ anonymousCustomer: 'no' }, 'InvalidParameterValue', 'anonymousCustomer'],
    [{ anonymousCustomer: '' }, 'InvalidParameterValue', 'anonymousCustomer'],
    [{ anonymousCustomer: 'Yes' }, 'InvalidParameterValue', 'anonymousCustomer'],
    [{ anonymousCustomer: 'yes', sendTypingNotification: 'true' }, 'InvalidParameterValue', 'sendTypingNotification'],
    [{ searchContactOnAttribute: 'email' }, 'InvalidParameterValue', 'searchContactOnAttribute'],
    [{ searchContactOnAttribute: 'custom.' }, 'InvalidParameterValue', 'searchContactOnAttribute'],
    [{ searchContactOnAttribute: 'custom.a b' }, 'InvalidParameterValue', 'searchContactOnAttribute'],
    [{ searchContactOnAttribute: 'EMAIL.EMAILADDRESS' }, 'InvalidParameterValue', 'searchContactOnAttribute'],
    [{ searchContactOnAttribute: 'email.emailAddress', conversationContact: 'externalId' }, 'InvalidParameterValue', 'conversationContact'],
    [{ searchContactOnAttribute: 'email.emailAddress', conversationContact: 'custom.loyalty_id' }, 'InvalidParameterValue', 'conversationContact'],
  ])('refuses %p', (query, kind, details) => {
    const err = refusal(query);
    expect(err.kind).toBe(kind);
    expect(err.details).toBe(details);
  });

  it('reports an unsupported parameter before checking values', () => {
    expect(refusal({ anonymousCustomer: 'no', extra: '1' }).kind).toBe('UnsupportedParameter');
  });

  it('checks values before the combination', () => {
    expect(refusal({ anonymousCustomer: 'yes', searchContactOnAttribute: 'nope' }).kind).toBe('InvalidParameterValue');
  });
});
