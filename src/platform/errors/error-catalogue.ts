/**
 * The one place that gives every error its HTTP status and stable code.
 * Codes are `<status>-<number>` and never change meaning once released;
 * the localized user message lives under `errors.<Kind>` in src/i18n/<lang>/errors.json.
 */
export const ERROR_CATALOGUE = {
  // Query parameters
  ConversationModeMissing: { status: 400, code: '400-101' },
  ConversationModeConflict: { status: 400, code: '400-102' },
  UnsupportedParameter: { status: 400, code: '400-103' },
  RepeatedParameter: { status: 400, code: '400-104' },
  InvalidParameterValue: { status: 400, code: '400-105' },
  ConversationContactNotAllowed: { status: 400, code: '400-106' },
  SearchAttributeNotSearchable: { status: 400, code: '400-107' },

  // Body shape
  BodyMissing: { status: 400, code: '400-110' },
  BodyMalformed: { status: 400, code: '400-111' },
  BodyInvalid: { status: 400, code: '400-112' },
  MultipartInvalid: { status: 400, code: '400-113' },
  XmlForbiddenConstruct: { status: 400, code: '400-114' },

  // Body rules
  EntryPointNotFound: { status: 400, code: '400-120' },
  SubjectInvalid: { status: 400, code: '400-121' },
  CustomerRequired: { status: 400, code: '400-122' },
  CustomerNotAllowed: { status: 400, code: '400-123' },
  SearchAttributeMissing: { status: 400, code: '400-124' },
  ConversationContactMissing: { status: 400, code: '400-125' },
  CaseNotAllowedForAnonymous: { status: 400, code: '400-126' },
  CaseNotFound: { status: 400, code: '400-127' },
  CaseBelongsToAnotherCustomer: { status: 400, code: '400-128' },
  MultipleContactsFound: { status: 400, code: '400-129' },
  CustomerCreationFailed: { status: 400, code: '400-130' },
  CustomAttributeUnknown: { status: 400, code: '400-131' },
  CustomAttributeValueNotAllowed: { status: 400, code: '400-132' },
  CustomAttributeInvalidCharacters: { status: 400, code: '400-133' },
  CustomAttributeTooLong: { status: 400, code: '400-134' },
  ContactCountInvalid: { status: 400, code: '400-135' },
  ClientInfoInvalid: { status: 400, code: '400-136' },
  ContactCustomAttributeUnknown: { status: 400, code: '400-137' },
  ContactDetailInvalid: { status: 400, code: '400-138' },

  // Preconditions
  AssignmentServiceNotRunning: { status: 400, code: '400-140' },
  NoAgentAvailable: { status: 400, code: '400-141' },
  CallbackUrlDeactivated: { status: 400, code: '400-142' },

  // Other requests of the platform
  InvalidRequest: { status: 400, code: '400-150' },
  InvalidGrantType: { status: 400, code: '400-151' },

  AuthorizationMissing: { status: 401, code: '401-101' },
  AuthorizationMalformed: { status: 401, code: '401-102' },
  SessionNotFound: { status: 401, code: '401-103' },
  NotClientApplicationSession: { status: 401, code: '401-104' },
  InvalidClientCredentials: { status: 401, code: '401-105' },
  NotAgentSession: { status: 401, code: '401-106' },
  NotAdministratorSession: { status: 401, code: '401-107' },
  InvalidUserCredentials: { status: 401, code: '401-108' },

  ClientApplicationNotChat: { status: 403, code: '403-101' },
  EntryPointNotAllowed: { status: 403, code: '403-102' },
  SessionLimitReached: { status: 403, code: '403-103' },
  NotYourConversation: { status: 403, code: '403-104' },
  CrossSiteRequestRefused: { status: 403, code: '403-105' },

  RouteNotFound: { status: 404, code: '404-101' },
  ConversationNotFound: { status: 404, code: '404-102' },
  ResourceNotFound: { status: 404, code: '404-103' },

  InvalidAcceptLanguage: { status: 406, code: '406-101' },
  UnsupportedAccept: { status: 406, code: '406-102' },

  EntryPointConfigurationChanged: { status: 409, code: '409-101' },
  ConversationStateConflict: { status: 409, code: '409-102' },

  RequestTimeout: { status: 408, code: '408-101' },
  BodyTooLarge: { status: 413, code: '413-101' },
  UnsupportedContentType: { status: 415, code: '415-101' },
  ExpectationFailed: { status: 417, code: '417-101' },
  TooManyRequests: { status: 429, code: '429-101' },
  HeaderTooLarge: { status: 431, code: '431-101' },

  IdempotencyKeyInvalid: { status: 400, code: '400-160' },
  IdempotencyRequestInProgress: { status: 409, code: '409-110' },
  IdempotencyKeyReused: { status: 422, code: '422-101' },
  // Agent API
  ChatLimitOutOfRange: { status: 400, code: '400-170' },
  TransferTargetInvalid: { status: 400, code: '400-171' },
  ChatLimitBelowActiveChats: { status: 409, code: '409-120' },
  AgentUnavailable: { status: 409, code: '409-121' },

  InternalError: { status: 500, code: '500-101' },
  UnsupportedTransferCoding: { status: 501, code: '501-101' },
  ServiceUnavailable: { status: 503, code: '503-101' },

  // Administration API
  ResourceAlreadyExists: { status: 409, code: '409-103' },
  ReferenceNotFound: { status: 400, code: '400-152' },
  QueueNotInDepartment: { status: 400, code: '400-153' },
  AgentNotLoggedIn: { status: 409, code: '409-122' },
  ResourceChanged: { status: 412, code: '412-101' },
} as const satisfies Record<string, { status: number; code: string }>;

export type ErrorKind = keyof typeof ERROR_CATALOGUE;

export const ERROR_KINDS = Object.keys(ERROR_CATALOGUE) as ErrorKind[];

/**
 * The kinds always answered with `Retry-After` (delay-seconds, at least 1), with what its value
 * is; the OpenAPI document declares the header on their answers from this list.
 */
export const RETRY_AFTER: Partial<Record<ErrorKind, string>> = {
  IdempotencyRequestInProgress: '1, while the first request with the key runs',
  TooManyRequests: 'the seconds until the window of the limit reached ends',
  ServiceUnavailable: '5',
};

/** The delay a 503 asks for: MySQL or Redis not answering, or REQUEST_TIMEOUT_MS reached. */
export const UNAVAILABLE_RETRY_AFTER: Record<string, string> = Object.freeze({ 'Retry-After': '5' });
