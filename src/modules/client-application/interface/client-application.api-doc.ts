import { ApiProperty } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import { IdValue } from '../../../platform/openapi/id-value';

export class TokenDocument {
  @ApiProperty({ example: 'n5rXy1F0Yk2tq2mIUu0m3vC4m1d8kqZlJx7Wn5qB3vA' }) access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: string;
  @ApiProperty({ type: 'integer', example: 86400, description: 'seconds' }) expires_in: number;
}

class TokenRequest {
  @ApiProperty({ enum: ['client_credentials'] }) grant_type: string;
}

class EntryPointSummary {
  @ApiProperty({ example: '1001' }) id: string;
  @ApiProperty({ example: 'Web chat (sales)' }) name: string;
  @ApiProperty() active: boolean;
}

class LastModified {
  @ApiProperty({ format: 'date-time', example: '2026-11-26T09:00:00.000Z' }) date: string;
}

class EntryPointConfiguration {
  @ApiProperty({ type: EntryPointSummary }) entryPoint: EntryPointSummary;
  @ApiProperty({ type: IdValue }) department: IdValue;
  @ApiProperty({ type: LastModified, description: 'send it back unchanged in a start; it changes whenever the entry point is changed' }) lastModified: LastModified;
}

export class EntryPointConfigurationDocument {
  @ApiProperty({ type: [EntryPointConfiguration] }) entryPointConfiguration: EntryPointConfiguration[];
}

export const TOKEN_DOC: EndpointDoc = {
  summary: 'Log a client application in (OAuth2 client credentials) and get a bearer token',
  description:
    '`Authorization: Basic base64(clientId:clientSecret)`, form body `grant_type=client_credentials`. At most SESSION_MAX_PER_APPLICATION ' +
    'live sessions per application; `forceLogin=yes` ends the oldest instead of refusing.',
  auth: 'client-credentials',
  query: [{ name: 'forceLogin', required: false, enum: ['yes', 'no'] }],
  body: { type: TokenRequest, formats: ['form', 'json'], example: { grant_type: 'client_credentials' } },
  ok: { type: TokenDocument, example: { access_token: 'n5rXy1F0Yk2tq2mIUu0m3vC4m1d8kqZlJx7Wn5qB3vA', token_type: 'Bearer', expires_in: 86400 } },
  errors: ['InvalidGrantType', 'InvalidParameterValue', 'RepeatedParameter', 'SessionLimitReached', 'TooManyRequests'],
};

export const REVOKE_DOC: EndpointDoc = {
  summary: 'End the client application session of a bearer token (logout)',
  description: 'Ending an unknown or already ended token is not an error; an agent or administrator token is refused (401-104) and its session stays.',
  auth: 'client-application-logout',
  ok: { status: 204, description: 'Session ended' },
};

export const CONFIGURATION_DOC: EndpointDoc = {
  summary: 'Read the configuration of an entry point, including the lastModified date a start must send',
  auth: 'client-application',
  query: [{ name: 'entrypoint', required: true, schema: { type: 'string', pattern: '^\\d{1,19}$', example: '1001' } }],
  ok: {
    type: EntryPointConfigurationDocument,
    example: {
      entryPointConfiguration: [
        { entryPoint: { id: '1001', name: 'Web chat (sales)', active: true }, department: { id: '1' }, lastModified: { date: '2026-11-26T09:00:00.000Z' } },
      ],
    },
  },
  errors: ['InvalidParameterValue', 'RepeatedParameter', 'EntryPointNotFound', 'EntryPointNotAllowed', 'ServiceUnavailable'],
};
