import { CaseBelongsToAnotherCustomer, CaseNotFound } from '../../domain/case.errors';
import { CaseRepository, type CaseOwner } from '../case.repository';
import { ResolveCase } from './resolve-case.use-case';

class FakeCases extends CaseRepository {
  readonly created: { customerId: string | null; departmentId: string; subject: string | null }[] = [];
  constructor(private readonly owners: Record<string, CaseOwner>) {
    super();
  }
  async findOwner(caseId: string): Promise<CaseOwner | undefined> {
    return this.owners[caseId];
  }
  async create(input: { customerId: string | null; departmentId: string; subject: string | null }): Promise<string> {
    this.created.push(input);
    return '900';
  }
}

describe('ResolveCase', () => {
  const cases = () => new FakeCases({ '10': { customerId: '1' }, '11': { customerId: null } });

  it('opens a case for the customer in the department with the subject when none is given', async () => {
    const repo = cases();
    await expect(new ResolveCase(repo).execute({ customerId: '1', departmentId: '2', subject: 'Order' })).resolves.toBe('900');
    expect(repo.created).toEqual([{ customerId: '1', departmentId: '2', subject: 'Order' }]);
  });

  it("attaches to the customer's own case, opening none", async () => {
    const repo = cases();
    await expect(new ResolveCase(repo).execute({ caseId: '10', customerId: '1', departmentId: '2', subject: null })).resolves.toBe('10');
    expect(repo.created).toEqual([]);
  });

  it("refuses an unknown case, another customer's, and a case without a customer even to a start without one", async () => {
    const run = (caseId: string, customerId: string | null) => new ResolveCase(cases()).execute({ caseId, customerId, departmentId: '2', subject: null });
    await expect(run('12', '1')).rejects.toBeInstanceOf(CaseNotFound);
    await expect(run('10', '2')).rejects.toBeInstanceOf(CaseBelongsToAnotherCustomer);
    await expect(run('11', '1')).rejects.toBeInstanceOf(CaseBelongsToAnotherCustomer);
    await expect(run('11', null)).rejects.toBeInstanceOf(CaseBelongsToAnotherCustomer);
  });
});
