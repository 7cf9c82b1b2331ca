import { ApiProperty } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';
import type { UserRole } from '../domain/user-account';
import { LoginRequest } from './login.request';

class UserRef {
  @ApiProperty({ example: '3' }) id: string;
}

export class UserSessionDocument {
  @ApiProperty({ example: 'Zk3m9Q0b6Yp1cV7xR2sT8uW4nE5aL0dH3jK6gF9iB2o' }) access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: string;
  @ApiProperty({ type: 'integer', example: 86400, description: 'seconds' }) expires_in: number;
  @ApiProperty({ type: UserRef }) user: UserRef;
}

export function loginDoc(role: UserRole): EndpointDoc {
  return {
    summary: `${role === 'agent' ? 'Agent' : 'Administrator'} login with user name and password; returns a bearer token`,
    auth: 'none',
    body: {
      type: LoginRequest,
      xmlRoot: 'login',
      example: role === 'agent' ? { username: 'alice', password: 'agent-password' } : { username: 'admin', password: 'admin-password' },
    },
    ok: {
      type: UserSessionDocument,
      example: { access_token: 'Zk3m9Q0b6Yp1cV7xR2sT8uW4nE5aL0dH3jK6gF9iB2o', token_type: 'Bearer', expires_in: 86400, user: { id: role === 'agent' ? '1' : '4' } },
    },
    errors: ['InvalidUserCredentials', 'TooManyRequests'],
  };
}

export function logoutDoc(role: UserRole): EndpointDoc {
  return {
    summary: `End the ${role} session of the bearer token`,
    description: `Ending an unknown or already ended token is not an error; a token of another kind of session is refused (${role === 'agent' ? '401-106' : '401-107'}) and its session stays.`,
    auth: role === 'agent' ? 'agent-logout' : 'administrator-logout',
    ok: { status: 204, description: 'Session ended' },
  };
}
