import { AppError } from '../../../platform/errors/app-error';

export class InvalidClientCredentials extends AppError {
  constructor() {
    super('InvalidClientCredentials', 'client key or secret is wrong', 'Authorization');
  }
}

export class SessionLimitReached extends AppError {
  constructor(max: number) {
    super('SessionLimitReached', `the client application already has ${max} live sessions; use forceLogin=yes to end the oldest`);
  }
}

export class EntryPointNotAllowed extends AppError {
  constructor(entryPointId: string, field = 'entryPointConfiguration.entryPoint.id') {
    super('EntryPointNotAllowed', `client application is not configured for entry point ${entryPointId}`, field, { entryPointId });
  }
}

export class EntryPointNotFound extends AppError {
  constructor(entryPointId: string, field = 'entryPointConfiguration.entryPoint.id') {
    super('EntryPointNotFound', `entry point ${entryPointId} does not exist`, field, { entryPointId });
  }
}
