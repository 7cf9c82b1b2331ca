import { AppError } from '../../../platform/errors/app-error';

export class CaseNotFound extends AppError {
  constructor(caseId: string) {
    super('CaseNotFound', `case ${caseId} does not exist`, 'activity.case.id', { caseId });
  }
}

export class CaseBelongsToAnotherCustomer extends AppError {
  constructor(caseId: string) {
    super('CaseBelongsToAnotherCustomer', `case ${caseId} belongs to another customer`, 'activity.case.id', { caseId });
  }
}
