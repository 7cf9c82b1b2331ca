import { InitialSchema1764150000000 } from './1764150000000-initial-schema';
import { Idempotency1764160000000 } from './1764160000000-idempotency';
import { ActivityWaitingSince1764175000000 } from './1764175000000-activity-waiting-since';
import { WebhookDelivery1764400000000 } from './1764400000000-webhook-delivery';
import { PreviousSigningSecret1764600000000 } from './1764600000000-previous-signing-secret';
import { ContactLookupKey1764700000000 } from './1764700000000-contact-lookup-key';
import { SigningSecretForCallbackUrls1764800000000 } from './1764800000000-signing-secret-for-callback-urls';
import { ActivityAssignmentFailures1764900000000 } from './1764900000000-activity-assignment-failures';
import { ActivityExpiryFailures1765000000000 } from './1765000000000-activity-expiry-failures';
import { IdempotencyClaimOwner1765100000000 } from './1765100000000-idempotency-claim-owner';
import { SessionPurgeIndexes1765200000000 } from './1765200000000-session-purge-indexes';
import { ContactPointLock1765300000000 } from './1765300000000-contact-point-lock';
import { EmailDomainLookupKey1765300000001 } from './1765300000001-email-domain-lookup-key';
import { PhoneLookupKey1765300000002 } from './1765300000002-phone-lookup-key';
import { SocialHandleLookupKey1765300000003 } from './1765300000003-social-handle-lookup-key';
import { MessageEventIndex1765400000000 } from './1765400000000-message-event-index';
import { DropTypingRows1765500000000 } from './1765500000000-drop-typing-rows';
import { ClientSecretChangedAt1765600000000 } from './1765600000000-client-secret-changed-at';
import { CallbackSigningSecretChangedAt1765700000000 } from './1765700000000-callback-signing-secret-changed-at';
import { CallbackChangedAt1765800000000 } from './1765800000000-callback-changed-at';
import { IdempotencyResponseText1765900000000 } from './1765900000000-idempotency-response-text';

/** Listed explicitly so the same array works from compiled code, the CLI and tests. */
export const MIGRATIONS = [
  InitialSchema1764150000000,
  Idempotency1764160000000,
  ActivityWaitingSince1764175000000,
  WebhookDelivery1764400000000,
  PreviousSigningSecret1764600000000,
  ContactLookupKey1764700000000,
  SigningSecretForCallbackUrls1764800000000,
  ActivityAssignmentFailures1764900000000,
  ActivityExpiryFailures1765000000000,
  IdempotencyClaimOwner1765100000000,
  SessionPurgeIndexes1765200000000,
  ContactPointLock1765300000000,
  EmailDomainLookupKey1765300000001,
  PhoneLookupKey1765300000002,
  SocialHandleLookupKey1765300000003,
  MessageEventIndex1765400000000,
  DropTypingRows1765500000000,
  ClientSecretChangedAt1765600000000,
  CallbackSigningSecretChangedAt1765700000000,
  CallbackChangedAt1765800000000,
  IdempotencyResponseText1765900000000,
];
