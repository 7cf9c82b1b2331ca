import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_SECRET_OVERLAP_SECONDS } from '../../../platform/config/app-config';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { DateValue } from '../../../platform/openapi/date-value';
import { CLIENT_APPLICATION_TYPES } from '../../client-application';
import { CALLBACK_DOCS } from '../../webhook';
import { CALLBACK_FORMATS } from '../domain/configuration';
import { IF_MATCH_HEADER, PagedList, VERSION_HEADER, crudDocs, versionedReading } from './admin-api-doc';
import { CreateClientApplicationRequest, UpdateClientApplicationRequest } from './client-application.request';

class ClientApplicationView {
  @ApiProperty({ example: '3' }) id: string;
  @ApiProperty({ example: 'Mobile app' }) name: string;
  @ApiProperty({ enum: CLIENT_APPLICATION_TYPES }) type: string;
  @ApiProperty({ example: 'mobile-app' }) clientId: string;
  @ApiPropertyOptional({ description: 'only in the answer of a create or a secret rotation: store it now, it is never shown again' }) clientSecret?: string;
  @ApiProperty({ type: [String], example: ['1001'] }) entryPointIds: string[];
  @ApiPropertyOptional({ example: 'https://app.example/chat-events' }) callbackUrl?: string;
  @ApiProperty({ enum: CALLBACK_FORMATS }) callbackFormat: string;
  @ApiProperty({ enum: ['active', 'deactivated'], description: 'deactivated after repeated failed deliveries' }) callbackState: string;
  @ApiPropertyOptional({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'only in the answer of the create or update that set the first callback URL: the signing secret, never shown again' })
  callbackSigningSecret?: string;
  @ApiProperty({ type: DateValue }) createdDate: DateValue;
  @ApiProperty({ type: DateValue, description: 'when the client secret was last set: the creation, then each rotation' }) secretChangedDate: DateValue;
  @ApiPropertyOptional({ type: DateValue, description: 'when the callback signing secret was last set: the first callback URL, then each rotation; absent while there is none' })
  callbackSigningSecretChangedDate?: DateValue;
  @ApiPropertyOptional({
    type: DateValue,
    description: 'when the callback settings (URL, format, authentication with its secrets, which are never shown) were last changed; absent while they never were',
  })
  callbackChangedDate?: DateValue;
}
class ClientApplicationDocument {
  @ApiProperty({ type: ClientApplicationView }) clientApplication: ClientApplicationView;
}
class SigningSecretValue {
  @ApiProperty({ example: 'whsec_9fKp2LmQ7xR4tV1wY8zA3bC6dE0gH5jN2sU7vW4xY1Q=' }) value: string;
  @ApiPropertyOptional({ type: DateValue, description: 'until when requests also carry a signature made with the replaced secret; absent with keepPreviousSeconds=0' }) previousValidUntil?: DateValue;
}
class SigningSecretDocument {
  @ApiProperty({ type: SigningSecretValue }) signingSecret: SigningSecretValue;
}
class ClientApplicationList extends PagedList {
  @ApiProperty({ type: ClientApplicationView, isArray: true }) clientApplication: ClientApplicationView[];
}
class ClientApplicationListDocument {
  @ApiProperty({ type: ClientApplicationList }) clientApplications: ClientApplicationList;
}

const EXAMPLE = {
  id: '3',
  name: 'Mobile app',
  type: 'chat',
  clientId: 'mobile-app',
  entryPointIds: ['1001'],
  callbackUrl: 'https://app.example/chat-events',
  callbackFormat: 'json',
  callbackState: 'active',
  createdDate: { date: '2026-11-26T09:00:00.000Z' },
  secretChangedDate: { date: '2026-11-26T09:00:00.000Z' },
  callbackSigningSecretChangedDate: { date: '2026-11-26T09:00:00.000Z' },
  callbackChangedDate: { date: '2026-11-26T09:00:00.000Z' },
};
const SECRET = 'Q2hhbmdlIG1lOiB0aGlzIGlzIGFuIGV4YW1wbGUgc2VjcmV0';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const crud = crudDocs({
  name: 'client application',
  plural: 'clientApplications',
  xmlRoot: 'clientApplication',
  type: ClientApplicationDocument,
  listType: ClientApplicationListDocument,
  createType: CreateClientApplicationRequest,
  updateType: UpdateClientApplicationRequest,
  example: EXAMPLE,
  createExample: { name: 'Mobile app', type: 'chat', clientId: 'mobile-app', entryPointIds: ['1001'], callbackUrl: 'https://app.example/chat-events' },
  updateExample: { entryPointIds: ['1001', '1002'] },
  createErrors: ['ReferenceNotFound', 'ResourceAlreadyExists'],
  updateErrors: ['ReferenceNotFound'],
  createNote:
    'Answers the client secret once (clientSecret); only its scrypt hash is stored. The application logs in with HTTP Basic clientId:clientSecret. ' +
    'A callbackUrl is set as PUT .../{id}/callback sets it: the signing secret is generated and answered once (callbackSigningSecret).',
  updateNote:
    'entryPointIds replaces the application\'s entry points; this api process applies it at once, others within CONFIG_CACHE_TTL_MS. ' +
    'callbackUrl and callbackFormat change as PUT .../{id}/callback changes them (authentication kept): the first URL generates the signing secret, ' +
    'answered once (callbackSigningSecret); the failure count restarts and pending events are delivered at once.',
});

export const CLIENT_APPLICATION_DOCS = {
  ...crud,
  create: { ...crud.create, ok: { ...crud.create.ok, example: { clientApplication: { ...EXAMPLE, clientSecret: SECRET, callbackSigningSecret: SIGNING_SECRET } } } },
  rotateSecret: {
    summary: 'Replace the client secret of a client application',
    description:
      'Answers the new secret once. The old secret stops working at once, and the application\'s live sessions end. ' +
      'The secret\'s last change (secretChangedDate) is part of the application\'s version: with If-Match, a rotation is refused (412) once another has replaced the secret read.',
    auth: 'administrator',
    headers: [IF_MATCH_HEADER],
    ok: { type: ClientApplicationDocument, example: { clientApplication: { ...EXAMPLE, clientSecret: SECRET } }, headers: VERSION_HEADER },
    errors: ['ResourceNotFound', 'ResourceChanged'],
  } satisfies EndpointDoc,
  readCallback: {
    ...CALLBACK_DOCS.get,
    description:
      'The callback is part of the application\'s version: the `ETag` answered is the application\'s (the same as reading the application), ' +
      'for the If-Match of a change of the callback or of the application.',
    ...versionedReading(CALLBACK_DOCS.get.ok),
  } satisfies EndpointDoc,
  changeCallback: {
    ...CALLBACK_DOCS.put,
    description:
      `${CALLBACK_DOCS.put.description} ` +
      'The callback\'s settings (through callbackChangedDate: the authentication and its secrets too) are part of the application\'s version: with If-Match, ' +
      'the change is made only while the application is still at the version read (its `ETag`, from reading it or from any of its changes), else 412 and nothing changes; ' +
      'a change that leaves URL, format and authentication as they are leaves the version as it is. The `ETag` answered is the application\'s version after this change, ' +
      'for the next change of the application or its callback.',
    headers: [IF_MATCH_HEADER],
    ok: { ...CALLBACK_DOCS.put.ok, headers: VERSION_HEADER },
    errors: ['ResourceNotFound', 'ResourceChanged'],
  } satisfies EndpointDoc,
  reactivateCallback: {
    ...CALLBACK_DOCS.reactivate,
    description:
      `${CALLBACK_DOCS.reactivate.description} ` +
      'The callback\'s state is part of the application\'s version: with If-Match, the reactivation is made only while the application is still at the version read ' +
      '(its `ETag`, from reading it or its callback, or from any of its changes), else 412 and nothing changes. The `ETag` answered is the application\'s version after it.',
    headers: [IF_MATCH_HEADER],
    ok: { ...CALLBACK_DOCS.reactivate.ok, headers: VERSION_HEADER },
    errors: ['ResourceNotFound', 'ResourceChanged'],
  } satisfies EndpointDoc,
  rotateCallbackSigningSecret: {
    summary: 'Rotate the signing secret; the new secret is in this answer only',
    description:
      'Every callback request from now on is signed with the new secret and, until `previousValidUntil`, also with the one it replaced ' +
      '(two space-separated signatures in `webhook-signature`), so the receiver can switch to the new secret without refusing requests. ' +
      `Query parameter \`keepPreviousSeconds\` (0 to ${MAX_SECRET_OVERLAP_SECONDS}) sets that overlap; without it the platform's setting applies (24 h by default). ` +
      'Use 0 when the old secret leaked: only the new secret signs from now on. ' +
      'The signing secret\'s last change (callbackSigningSecretChangedDate) is part of the application\'s version: with If-Match, a rotation is refused (412) once another has replaced the secret read; ' +
      'the `ETag` answered is the application\'s version after this rotation.',
    auth: 'administrator',
    headers: [IF_MATCH_HEADER],
    query: [
      {
        name: 'keepPreviousSeconds',
        required: false,
        schema: { type: 'integer', minimum: 0, maximum: MAX_SECRET_OVERLAP_SECONDS, example: 0 },
        description: `whole seconds, 0 to ${MAX_SECRET_OVERLAP_SECONDS}, the replaced secret keeps signing (default: WEBHOOK_SECRET_OVERLAP_SECONDS); 0 when it leaked`,
      },
    ],
    ok: {
      type: SigningSecretDocument,
      example: { signingSecret: { value: 'whsec_9fKp2LmQ7xR4tV1wY8zA3bC6dE0gH5jN2sU7vW4xY1Q=', previousValidUntil: { date: '2026-11-27T09:00:00.000Z' } } },
      headers: VERSION_HEADER,
    },
    errors: ['ResourceNotFound', 'ResourceChanged', 'InvalidParameterValue', 'RepeatedParameter'],
  } satisfies EndpointDoc,
};
