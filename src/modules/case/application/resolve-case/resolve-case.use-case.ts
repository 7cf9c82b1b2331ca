import { Injectable } from '@nestjs/common';
import { CaseBelongsToAnotherCustomer, CaseNotFound } from '../../domain/case.errors';
import { CaseRepository } from '../case.repository';

export interface ResolveCaseCommand {
  /** An existing case to attach to; it must belong to `customerId`. */
  caseId?: string;
  customerId: string | null;
  departmentId: string;
  subject: string | null;
}

/** Attaches to the given case after checking its owner, or opens a new one. Joins the caller's transaction. */
@Injectable()
export class ResolveCase {
  constructor(private readonly cases: CaseRepository) {}

  async execute(command: ResolveCaseCommand): Promise<string> {
    if (command.caseId === undefined) {
      return this.cases.create({ customerId: command.customerId, departmentId: command.departmentId, subject: command.subject });
    }
    const owner = await this.cases.findOwner(command.caseId);
    if (!owner) throw new CaseNotFound(command.caseId);
    if (owner.customerId === null || owner.customerId !== command.customerId) throw new CaseBelongsToAnotherCustomer(command.caseId);
    return command.caseId;
  }
}
