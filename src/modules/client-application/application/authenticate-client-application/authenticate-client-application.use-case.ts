import { Injectable, Logger } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppConfig } from '../../../../platform/config/app-config';
import { loginSubjectDigest } from '../../../../platform/security/login-subject';
import { verifyCredential } from '../../../../platform/security/secret-hasher';
import { SessionStore, type IssuedSession } from '../../../../platform/session/session';
import { InvalidClientCredentials, SessionLimitReached } from '../../domain/client-application.errors';
import { ClientApplicationRepository } from '../client-application.repository';

export interface AuthenticateClientApplicationCommand {
  clientKey: string;
  clientSecret: string;
  /** End the oldest session instead of refusing when the application is at its session limit. */
  forceLogin: boolean;
}

/** OAuth2 client-credentials login of a client application: an opaque token backed by a session. */
@Injectable()
export class AuthenticateClientApplication {
  private readonly logger = new Logger('Authentication');

  constructor(
    private readonly applications: ClientApplicationRepository,
    private readonly sessions: SessionStore,
    private readonly config: AppConfig,
  ) {}

  async execute(command: AuthenticateClientApplicationCommand): Promise<IssuedSession> {
    const stored = await this.applications.credentials(command.clientKey);
    const ok = await verifyCredential(command.clientSecret, stored?.secretHash);
    if (!stored || !ok) {
      // By digest, as the throttle's counters name it: a mistyped key may be a secret pasted into the wrong field.
      this.logger.warn({ subjectDigest: loginSubjectDigest(command.clientKey), ...(stored ? { clientApplicationId: stored.clientApplicationId } : {}) }, 'client application login refused');
      throw new InvalidClientCredentials();
    }
    return this.openSession(stored.clientApplicationId, stored.secretHash, command.forceLogin);
  }

  @Transactional()
  private async openSession(clientApplicationId: string, verifiedHash: string, forceLogin: boolean): Promise<IssuedSession> {
    // The secret was verified before the lock (scrypt is slow on purpose): a rotation that
    // committed meanwhile ended every session it found, so a session opened now with the
    // replaced secret would outlive the rotation.
    if ((await this.applications.lockForLogin(clientApplicationId)) !== verifiedHash) {
      this.logger.warn({ clientApplicationId }, 'client application login refused: its secret was rotated during the login');
      throw new InvalidClientCredentials();
    }
    const max = this.config.SESSION_MAX_PER_APPLICATION;
    const live = await this.sessions.liveCount('client_application', clientApplicationId);
    if (live >= max) {
      if (!forceLogin) throw new SessionLimitReached(max);
      await this.sessions.endOldest('client_application', clientApplicationId, max - 1);
    }
    return this.sessions.issue('client_application', clientApplicationId);
  }
}
