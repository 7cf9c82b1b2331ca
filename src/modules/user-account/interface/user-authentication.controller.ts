import { Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { validateBody } from '../../../platform/http/validate-body';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { ThrottledLogin } from '../../../platform/security/login-throttle.guard';
import { bearerToken } from '../../../platform/session/bearer-token';
import { AuthenticateUser } from '../application/authenticate-user/authenticate-user.use-case';
import { EndUserSession } from '../application/end-user-session/end-user-session.use-case';
import type { UserRole } from '../domain/user-account';
import { LoginRequest } from './login.request';
import { loginDoc, logoutDoc } from './user-authentication.api-doc';
import { DocumentBody } from '../../../platform/http/document-body';

async function login(authenticate: AuthenticateUser, body: unknown, role: UserRole) {
  const request = validateBody(LoginRequest, body);
  const session = await authenticate.execute({ username: request.username, password: request.password, role });
  return { access_token: session.accessToken, token_type: 'Bearer', expires_in: session.expiresInSeconds, user: { id: session.userId } };
}

@ApiTags('agent')
@Controller('ws/v19/agent/authentication')
export class AgentAuthenticationController {
  constructor(private readonly authenticate: AuthenticateUser, private readonly endSession: EndUserSession) {}

  @Post('login')
  @HttpCode(200)
  @ThrottledLogin('agent')
  @ApiEndpoint(loginDoc('agent'))
  login(@DocumentBody('login') body: unknown) {
    return login(this.authenticate, body, 'agent');
  }

  @Post('logout')
  @HttpCode(204)
  @ApiEndpoint(logoutDoc('agent'))
  async logout(@Headers('authorization') authorization: string | undefined): Promise<void> {
    await this.endSession.execute(bearerToken(authorization), 'agent');
  }
}

@ApiTags('administration')
@Controller('ws/v19/administration/authentication')
export class AdministratorAuthenticationController {
  constructor(private readonly authenticate: AuthenticateUser, private readonly endSession: EndUserSession) {}

  @Post('login')
  @HttpCode(200)
  @ThrottledLogin('administrator')
  @ApiEndpoint(loginDoc('administrator'))
  login(@DocumentBody('login') body: unknown) {
    return login(this.authenticate, body, 'administrator');
  }

  @Post('logout')
  @HttpCode(204)
  @ApiEndpoint(logoutDoc('administrator'))
  async logout(@Headers('authorization') authorization: string | undefined): Promise<void> {
    await this.endSession.execute(bearerToken(authorization), 'administrator');
  }
}
