import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { IdValue } from '../../../platform/openapi/id-value';
import { CALLBACK_AUTH_TYPES, CALLBACK_FORMATS } from '../domain/callback-settings';
import { ChangeCallbackSettingsRequest } from './callback-settings.request';

class MaskedAuthentication {
  @ApiProperty({ enum: CALLBACK_AUTH_TYPES }) type: string;
  @ApiPropertyOptional({ description: 'basic' }) username?: string;
  @ApiPropertyOptional({ description: 'basic; always masked', example: '********' }) password?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) tokenUrl?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) clientId?: string;
  @ApiPropertyOptional({ description: 'oauth2; always masked', example: '********' }) clientSecret?: string;
  @ApiPropertyOptional({ description: 'oauth2' }) scope?: string;
}

class SigningSecretState {
  @ApiProperty() configured: boolean;
  @ApiPropertyOptional({ description: 'only in the answer that created the secret', example: 'whsec_3q4nZ0cW1Y0uQm8b2kT7vX9pL5rD1sF6hJ4gN0aE2cY=' }) value?: string;
  @ApiPropertyOptional({ type: DateValue, description: 'after a rotation: until when requests also carry a signature made with the replaced secret' }) previousValidUntil?: DateValue;
}

class Callback {
  @ApiProperty({ type: IdValue }) clientApplication: IdValue;
  @ApiPropertyOptional({ description: 'absent when no callback is set', example: 'https://receiver.example/chat-events' }) url?: string;
  @ApiProperty({ enum: CALLBACK_FORMATS }) format: string;
  @ApiProperty({ type: MaskedAuthentication }) authentication: MaskedAuthentication;
  @ApiProperty({ type: SigningSecretState }) signingSecret: SigningSecretState;
  @ApiPropertyOptional({
    enum: ['signing', 'previous signing', 'credentials'],
    isArray: true,
    description: 'stored secrets no configured SECRETS_KEY opens (sealed with a key since lost): nothing is sent until the credentials are given again and the signing secret rotated',
  })
  unreadableSecrets?: string[];
  @ApiProperty({ enum: ['active', 'deactivated'] }) state: string;
  @ApiProperty({ type: 'integer', example: 0 }) consecutiveFailures: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'events waiting for delivery' }) pendingEvents: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'events the receiver refused for good' }) rejectedEvents: number;
}

export class CallbackDocument {
  @ApiProperty({ type: Callback }) callback: Callback;
}

const CALLBACK = {
  clientApplication: { id: '1' },
  url: 'https://receiver.example/chat-events',
  format: 'json',
  authentication: { type: 'basic', username: 'hooks', password: '********' },
  signingSecret: { configured: true },
  state: 'active',
  consecutiveFailures: 0,
  pendingEvents: 0,
  rejectedEvents: 0,
};

const REACTIVATED = { callback: { ...CALLBACK, pendingEvents: 3 } };

export const CALLBACK_DOCS = {
  get: {
    summary: 'Read the callback settings and state of a client application (secrets masked)',
    auth: 'administrator',
    ok: { type: CallbackDocument, example: { callback: CALLBACK } },
    errors: ['ResourceNotFound'],
  } satisfies EndpointDoc,
  put: {
    summary: 'Replace the callback settings; the first URL also creates the signing secret, returned once',
    description:
      '`url`: absolute http(s), at most 2048 characters, no credentials, fragment or control character, no space around it; null removes the callback. `format`: json (default) or xml. ' +
      '`authentication`: none (default), basic (username, password) or oauth2 (tokenUrl, clientId, clientSecret, scope); when the type stays the same ' +
      'the password or client secret may be left out to keep the stored one. The failure count starts again from zero and pending events are sent at once; ' +
      'a deactivated URL stays deactivated (see reactivate). The body is JSON, XML (root element `callback`) or one JSON/XML part of a multipart/form-data body. ' +
      'A refused member is named in `details` by its path in the body: `url`, `format`, `authentication.type`, `authentication.password`, ….',
    auth: 'administrator',
    body: {
      type: ChangeCallbackSettingsRequest,
      xmlRoot: 'callback',
      example: { url: 'https://receiver.example/chat-events', format: 'json', authentication: { type: 'basic', username: 'hooks', password: 's3cret' } },
    },
    ok: {
      description: 'The settings as stored; `signingSecret.value` only when this change created the secret',
      type: CallbackDocument,
      example: { callback: { ...CALLBACK, signingSecret: { configured: true, value: 'whsec_3q4nZ0cW1Y0uQm8b2kT7vX9pL5rD1sF6hJ4gN0aE2cY=' } } },
    },
    errors: ['ResourceNotFound'],
  } satisfies EndpointDoc,
  reactivate: {
    summary: 'Reactivate a deactivated callback URL; held events are then delivered in order',
    description: 'On an active URL it only forgets a waiting retry. Starts are accepted again at once.',
    auth: 'administrator',
    ok: { type: CallbackDocument, example: REACTIVATED },
    errors: ['ResourceNotFound'],
  } satisfies EndpointDoc,
  ownGet: {
    summary: 'Read this application\'s callback settings and state (secrets masked)',
    auth: 'client-application',
    ok: { type: CallbackDocument, example: { callback: { ...CALLBACK, state: 'deactivated', consecutiveFailures: 10, pendingEvents: 3 } } },
  } satisfies EndpointDoc,
  ownReactivate: {
    summary: 'Reactivate this application\'s deactivated callback URL once its receiver is back',
    description: 'Held events are then delivered in order and starts are accepted again at once. On an active URL it only forgets a waiting retry.',
    auth: 'client-application',
    ok: { type: CallbackDocument, example: REACTIVATED },
  } satisfies EndpointDoc,
};
