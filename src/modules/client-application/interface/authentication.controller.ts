import { Body, Controller, Header, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AppError } from '../../../platform/errors/app-error';
import { BodyFormats } from '../../../platform/http/body-format.guard';
import { invalidQueryValue, queryValueOnce } from '../../../platform/http/query-value';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { ThrottledLogin } from '../../../platform/security/login-throttle.guard';
import { basicCredentials } from '../../../platform/session/basic-credentials';
import { BASIC_CHALLENGE } from '../../../platform/session/challenge';
import { bearerToken } from '../../../platform/session/bearer-token';
import { AuthenticateClientApplication } from '../application/authenticate-client-application/authenticate-client-application.use-case';
import { EndSession } from '../application/end-session/end-session.use-case';
import { InvalidClientCredentials } from '../domain/client-application.errors';
import { REVOKE_DOC, TOKEN_DOC } from './client-application.api-doc';

interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

@ApiTags('client application authentication')
@Controller('ws/v19/clientapplications/authentication/oauth2')
export class AuthenticationController {
  constructor(private readonly authenticate: AuthenticateClientApplication, private readonly endSession: EndSession) {}

  @Post('token')
  @HttpCode(200)
  @ThrottledLogin('client-application')
  // RFC 6749 §5.1: token responses must not be cached, said to HTTP/1.0 caches too.
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @BodyFormats('form', 'json')
  @ApiEndpoint(TOKEN_DOC)
  async token(
    @Headers('authorization') authorization: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Query('forceLogin') given: unknown,
  ): Promise<TokenResponse> {
    const { clientKey, clientSecret } = basicCredentials(authorization);
    if (body?.grant_type !== 'client_credentials') throw new AppError('InvalidGrantType', 'grant_type must be client_credentials', 'grant_type');
    const forceLogin = queryValueOnce('forceLogin', given);
    if (forceLogin !== undefined && forceLogin !== 'yes' && forceLogin !== 'no') invalidQueryValue('forceLogin', 'forceLogin must be yes or no');
    const session = await this.authenticate.execute({ clientKey, clientSecret, forceLogin: forceLogin === 'yes' }).catch((err: unknown) => {
      // Wrong credentials challenge the scheme they came in (RFC 6749, 5.2).
      if (err instanceof InvalidClientCredentials) throw new AppError(err.kind, err.developerMessage, err.details, err.args, { 'WWW-Authenticate': BASIC_CHALLENGE });
      throw err;
    });
    return { access_token: session.accessToken, token_type: 'Bearer', expires_in: session.expiresInSeconds };
  }

  @Post('revoke')
  @HttpCode(204)
  @ApiEndpoint(REVOKE_DOC)
  async revoke(@Headers('authorization') authorization: string | undefined): Promise<void> {
    await this.endSession.execute(bearerToken(authorization));
  }
}
