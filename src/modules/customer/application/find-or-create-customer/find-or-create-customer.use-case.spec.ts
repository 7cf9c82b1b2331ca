import { AppError } from '../../../../platform/errors/app-error';
import type { AttributeDefinition } from '../../../../platform/settings/attribute-rules';
import type { PlatformSettings } from '../../../../platform/settings/settings';
import type { ContactPerson } from '../../domain/customer-profile';
import type { CustomerRepository, NewCustomer } from '../customer.repository';
import { FindOrCreateCustomer } from './find-or-create-customer.use-case';

/** Customers in memory, each with the department it was created in and the lookup keys it holds. */
function world(options: { departmentalized: boolean; customers?: { id: string; departmentId: string | null; keys: string[] }[] }) {
  const customers = [...(options.customers ?? [])];
  const state = { searches: [] as (string | null)[], created: [] as NewCustomer[] };
  const repository = {
    findIdsByContact: async (attribute: string, key: string, departmentId: string | null, limit: number) => {
      state.searches.push(departmentId);
      return customers
        .filter((c) => c.keys.includes(`${attribute}=${key}`) && (departmentId === null || c.departmentId === departmentId))
        .slice(0, limit)
        .map((c) => c.id);
    },
    lockForCreation: async () => undefined,
    create: async (customer: NewCustomer) => {
      state.created.push(customer);
      return '900';
    },
  } as unknown as CustomerRepository;
  const definitions: AttributeDefinition[] = [{ scope: 'contact', name: 'tier', type: 'enum', enumValues: ['gold'], maxLength: 64, searchable: false }];
  const settings = {
    customerDepartmentalization: async () => options.departmentalized,
    attributeDefinition: async (scope: string, name: string) => definitions.find((d) => d.scope === scope && d.name === name),
  } as unknown as PlatformSettings;
  return { state, useCase: new FindOrCreateCustomer(repository, settings) };
}

const contact = (extra: Partial<ContactPerson> = {}): ContactPerson => ({
  firstName: 'Ada', emails: ['Ada@Example.com'], phones: [], socials: [], customAttributes: [], ...extra,
});

const find = (useCase: FindOrCreateCustomer, person: ContactPerson, departmentId = '3') =>
  useCase.execute({ profile: { type: 'individual', contact: person }, searchAttribute: 'email.emailAddress', departmentId });

describe('FindOrCreateCustomer', () => {
  it("uses a found customer as it is: the request's contact custom attributes are not checked and nothing is created", async () => {
    const { state, useCase } = world({ departmentalized: false, customers: [{ id: '41', departmentId: null, keys: ['email.emailAddress=ada@example.com'] }] });
    const person = contact({ customAttributes: [{ name: 'nickname', values: ['ada'] }, { name: 'tier', values: ['platinum'] }] });
    expect(await find(useCase, person)).toEqual({ customerId: '41', created: false });
    expect(state.created).toEqual([]);
  });

  it('checks the contact custom attributes of a customer it creates', async () => {
    const { state, useCase } = world({ departmentalized: false });
    const err = await find(useCase, contact({ customAttributes: [{ name: 'nickname', values: ['ada'] }] })).catch((e: unknown) => e);
    expect(err instanceof AppError && err.kind).toBe('ContactCustomAttributeUnknown');
    expect(state.created).toEqual([]);
  });

  it("with departmentalization on, searches the entry point's department only and creates the customer in it", async () => {
    const { state, useCase } = world({ departmentalized: true, customers: [{ id: '41', departmentId: '2', keys: ['email.emailAddress=ada@example.com'] }] });
    expect(await find(useCase, contact(), '3')).toEqual({ customerId: '900', created: true });
    expect(state.searches.every((d) => d === '3')).toBe(true);
    expect(state.created[0]).toMatchObject({ departmentId: '3', lookupKey: { attribute: 'email.emailAddress', key: 'ada@example.com', scope: '3' } });
  });

  it('with departmentalization off, searches every department and creates the customer in none', async () => {
    const { state, useCase } = world({ departmentalized: false, customers: [{ id: '41', departmentId: '2', keys: ['email.emailAddress=ada@example.com'] }] });
    expect(await find(useCase, contact(), '3')).toEqual({ customerId: '41', created: false });
    const fresh = world({ departmentalized: false });
    await find(fresh.useCase, contact(), '3');
    expect(fresh.state.searches.every((d) => d === null)).toBe(true);
    expect(fresh.state.created[0]).toMatchObject({ departmentId: null, lookupKey: { scope: '0' } });
    expect(state.created).toEqual([]);
  });

  it('keys each contact point of a customer it creates by its own value, the searched one as the search does', async () => {
    const { state, useCase } = world({ departmentalized: false });
    await find(useCase, contact({ emails: ['Bob@Example.com', ' Ada@Example.com', 'Ada@Example.com'], phones: [{ type: 'mobile', number: '+44 20-7946 0000' }] }));
    expect(state.created[0].lookupKey.key).toBe('bob@example.com');
    expect(state.created[0].contactPoints.map((p) => p.key)).toEqual(['bob@example.com', 'ada@example.com', 'ada@example.com', '+442079460000']);
  });

  it("searches by the key its caller computed, when given, and keys the searched contact point by it", async () => {
    const { state, useCase } = world({ departmentalized: false, customers: [{ id: '41', departmentId: null, keys: ['email.emailAddress=ada@example.com'] }] });
    const person = contact({ emails: ['Ada@Example.com'] });
    expect(await useCase.execute({ profile: { type: 'individual', contact: person }, searchAttribute: 'email.emailAddress', searchKey: 'ada@example.com', departmentId: '3' })).toEqual({ customerId: '41', created: false });
    const fresh = world({ departmentalized: false });
    await fresh.useCase.execute({ profile: { type: 'individual', contact: person }, searchAttribute: 'email.emailAddress', searchKey: 'ada@example.com', departmentId: '3' });
    expect(fresh.state.created[0].contactPoints.map((p) => p.key)).toEqual(['ada@example.com']);
    expect(state.created).toEqual([]);
  });

  it('refuses a search that finds more than one customer (400-129)', async () => {
    const key = 'email.emailAddress=ada@example.com';
    const { state, useCase } = world({ departmentalized: false, customers: [{ id: '41', departmentId: null, keys: [key] }, { id: '42', departmentId: null, keys: [key] }] });
    const err = await find(useCase, contact()).catch((e: unknown) => e);
    expect(err instanceof AppError && err.kind).toBe('MultipleContactsFound');
    expect(state.created).toEqual([]);
  });
});
