import {
  CONVERSATION_CONTACT_ATTRIBUTES,
  customAttributeName,
  isStandardContactAttribute,
  invalidContactField,
  searchValueOf,
  contactLookupKey,
  type CustomerProfile,
} from '../../customer/domain';
import { AppError } from '../../../platform/errors/app-error';
import { echoed } from '../../../platform/errors/echoed-value';
import { MARKUP, NOT_IN_TEXT } from '../../../platform/text/text-rules';
import {
  CaseNotAllowedForAnonymous,
  ClientInfoInvalid,
  ContactCountInvalid,
  ContactDetailInvalid,
  ConversationContactMissing,
  ConversationContactNotAllowed,
  ConversationModeConflict,
  ConversationModeMissing,
  CustomerNotAllowed,
  CustomerRequired,
  SearchAttributeMissing,
  SubjectInvalid,
} from './conversation.errors';
import { parseIsoDateTime } from './iso-date-time';

export type CustomerMode =
  | { kind: 'anonymous' }
  | {
      kind: 'identified';
      searchAttribute: string;
      /** The lookup key of the searched value (contactLookupKey), computed once for the throttle and the search. */
      searchKey: string;
      conversationContact?: { attribute: string; value: string };
      profile: CustomerProfile;
    };

export interface ClientInfo {
  timeOffset?: string;
  referrerName?: string;
  referrerURL?: string;
  richText: boolean;
}

/** Everything a start request says, before any rule is checked. */
export interface StartConversationInput {
  anonymousCustomer: boolean;
  searchContactOnAttribute?: string;
  conversationContact?: string;
  sendTypingNotification: boolean;
  entryPointId: string;
  lastModified: string;
  caseId?: string;
  subject?: string;
  clientInfo?: { timeOffset?: string; referrerName?: string; referrerURL?: string; isRichTextSupported?: string };
  customAttributes: { name: string; values: string[] }[];
  customer?: { type: string; contacts: CustomerProfile['contact'][] };
}

/**
 * A start request whose rules hold: the ones that need no configuration are checked
 * here, so they hold whatever the caller (HTTP today, anything tomorrow).
 */
export class StartConversationCommand {
  private constructor(
    readonly mode: CustomerMode,
    readonly typingNotifications: boolean,
    readonly entryPointId: string,
    readonly lastModified: Date,
    readonly caseId: string | undefined,
    readonly subject: string | undefined,
    readonly clientInfo: ClientInfo,
    readonly customAttributes: { name: string; values: string[] }[],
  ) {}

  static create(input: StartConversationInput): StartConversationCommand {
    const mode = customerMode(input);
    if (input.caseId !== undefined && mode.kind === 'anonymous') throw new CaseNotAllowedForAnonymous();
    const lastModified = parseIsoDateTime(input.lastModified);
    if (lastModified === undefined) {
      throw new AppError('BodyInvalid', 'entryPointConfiguration.lastModified.date must be an ISO-8601 date-time with a zone', 'entryPointConfiguration.lastModified.date', { field: 'entryPointConfiguration.lastModified.date' });
    }
    return new StartConversationCommand(
      mode,
      input.sendTypingNotification,
      input.entryPointId,
      lastModified,
      input.caseId,
      subjectOf(input.subject),
      clientInfoOf(input.clientInfo),
      input.customAttributes,
    );
  }
}

/** The query parameters that decide how the customer is identified. */
export type CustomerModeParameters = Pick<StartConversationInput, 'anonymousCustomer' | 'searchContactOnAttribute' | 'conversationContact'>;

/**
 * The rules that involve the query parameters alone: exactly one of the two modes, and
 * conversationContact only with a search. Exported so that a caller can check them
 * before reading a body; the command checks them again whatever the caller did.
 */
export function checkCustomerModeParameters(params: CustomerModeParameters): 'anonymous' | 'identified' {
  if (params.anonymousCustomer && params.searchContactOnAttribute !== undefined) throw new ConversationModeConflict();
  if (!params.anonymousCustomer && params.searchContactOnAttribute === undefined) throw new ConversationModeMissing();
  if (params.anonymousCustomer && params.conversationContact !== undefined) throw new ConversationContactNotAllowed();
  return params.anonymousCustomer ? 'anonymous' : 'identified';
}

function customerMode(input: StartConversationInput): CustomerMode {
  const search = input.searchContactOnAttribute;
  if (checkCustomerModeParameters(input) === 'anonymous') {
    if (input.customer !== undefined) throw new CustomerNotAllowed();
    return { kind: 'anonymous' };
  }
  if (!isStandardContactAttribute(search!) && customAttributeName(search!) === undefined) {
    throw new AppError('InvalidParameterValue', `searchContactOnAttribute ${echoed(search!)} is not a contact attribute`, 'searchContactOnAttribute', { param: 'searchContactOnAttribute' });
  }
  if (input.customer === undefined) throw new CustomerRequired();
  if (input.customer.contacts.length !== 1) throw new ContactCountInvalid(input.customer.contacts.length);
  const profile: CustomerProfile = { type: input.customer.type, contact: input.customer.contacts[0] };
  const searchValue = searchValueOf(profile.contact, search!);
  if (searchValue === undefined) throw new SearchAttributeMissing(search!);
  const invalid = invalidContactField(profile.contact);
  if (invalid !== undefined) throw new ContactDetailInvalid(invalid);
  let conversationContact: { attribute: string; value: string } | undefined;
  if (input.conversationContact !== undefined) {
    if (!CONVERSATION_CONTACT_ATTRIBUTES.includes(input.conversationContact as never)) {
      throw new AppError('InvalidParameterValue', `conversationContact must be one of ${CONVERSATION_CONTACT_ATTRIBUTES.join(', ')}`, 'conversationContact', { param: 'conversationContact' });
    }
    const value = searchValueOf(profile.contact, input.conversationContact);
    if (value === undefined) throw new ConversationContactMissing(input.conversationContact);
    conversationContact = { attribute: input.conversationContact, value };
  }
  return { kind: 'identified', searchAttribute: search!, searchKey: contactLookupKey(search!, searchValue), conversationContact, profile };
}

function subjectOf(subject: string | undefined): string | undefined {
  if (subject === undefined) return undefined;
  const length = [...subject].length;
  if (length < 1 || length > 255 || NOT_IN_TEXT.test(subject) || MARKUP.test(subject)) throw new SubjectInvalid();
  return subject;
}

function clientInfoOf(info: StartConversationInput['clientInfo']): ClientInfo {
  const rich = info?.isRichTextSupported;
  if (rich !== undefined && rich !== 'true' && rich !== 'false') throw new ClientInfoInvalid('isRichTextSupported', 'must be true or false');
  if (info?.timeOffset !== undefined && !/^[+-]?\d{1,4}$/.test(info.timeOffset)) throw new ClientInfoInvalid('timeOffset', 'must be whole minutes from UTC');
  if (info?.referrerURL !== undefined && !isHttpUrl(info.referrerURL)) throw new ClientInfoInvalid('referrerURL', 'must be an http or https URL');
  for (const field of ['referrerName', 'referrerURL'] as const) {
    const value = info?.[field];
    if (value !== undefined && ([...value].length > 2048 || NOT_IN_TEXT.test(value))) throw new ClientInfoInvalid(field, 'too long or holds control characters, U+FFFE or U+FFFF');
  }
  return { timeOffset: info?.timeOffset, referrerName: info?.referrerName, referrerURL: info?.referrerURL, richText: rich !== 'false' };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
