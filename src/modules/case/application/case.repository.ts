export interface CaseOwner {
  customerId: string | null;
}

export abstract class CaseRepository {
  abstract findOwner(caseId: string): Promise<CaseOwner | undefined>;
  abstract create(input: { customerId: string | null; departmentId: string; subject: string | null }): Promise<string>;
}
