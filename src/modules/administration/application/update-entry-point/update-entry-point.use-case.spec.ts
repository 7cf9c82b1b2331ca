import type { ChatQueue, EntryPointSettings } from '../../domain/configuration';
import type { ChatQueueRepository } from '../chat-queue.repository';
import type { ConfigurationChange } from '../configuration-change';
import type { DepartmentRepository } from '../department.repository';
import type { EntryPointRepository, NewEntryPoint } from '../entry-point.repository';
import { UpdateEntryPoint } from './update-entry-point.use-case';

/** In-memory ports: the rules of the use case, without MySQL. */
function setUp() {
  const entryPoints = new Map<string, EntryPointSettings>([
    ['1001', { id: '1001', departmentId: '1', queueId: '1', name: 'Web', active: true, lastModified: new Date(0) }],
  ]);
  const queues = new Map<string, ChatQueue>([
    ['1', { id: '1', departmentId: '1', name: 'Sales', strategy: 'least_loaded' }],
    ['2', { id: '2', departmentId: '2', name: 'Support', strategy: 'round_robin' }],
  ]);
  const updates: [string, Partial<NewEntryPoint>][] = [];
  const lockedReads: string[] = [];
  let invalidations = 0;
  const entryPointRepo = {
    byId: async (id: string, options: { lock?: boolean } = {}) => {
      if (options.lock) lockedReads.push(id);
      return entryPoints.get(id);
    },
    update: async (id: string, changes: Partial<NewEntryPoint>) => {
      updates.push([id, changes]);
      const current = entryPoints.get(id)!;
      entryPoints.set(id, { ...current, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), lastModified: new Date(current.lastModified.getTime() + 1) });
    },
  } as unknown as EntryPointRepository;
  const departments = { byId: async (id: string) => (['1', '2'].includes(id) ? { id, name: `D${id}` } : undefined) } as unknown as DepartmentRepository;
  const queueRepo = { byId: async (id: string) => queues.get(id) } as unknown as ChatQueueRepository;
  const change = {
    apply: async <T>(fn: () => Promise<T>) => {
      const result = await fn();
      invalidations++;
      return result;
    },
  } as unknown as ConfigurationChange;
  return { useCase: new UpdateEntryPoint(entryPointRepo, departments, queueRepo, change), updates, lockedReads, invalidations: () => invalidations };
}

describe('UpdateEntryPoint', () => {
  it('applies the change, answers the entry point with its new lastModified, and drops the caches', async () => {
    const { useCase, updates, invalidations } = setUp();
    const updated = await useCase.execute('1001', { name: 'Web chat' });
    expect(updated.name).toBe('Web chat');
    expect(updated.lastModified.getTime()).toBeGreaterThan(0);
    expect(updates).toEqual([['1001', { name: 'Web chat' }]]);
    expect(invalidations()).toBe(1);
  });

  it('checks the rule on the entry point read locked, so a concurrent change cannot slip in between check and write', async () => {
    const { useCase, lockedReads } = setUp();
    await useCase.execute('1001', { queueId: '1' });
    expect(lockedReads).toEqual(['1001']);
  });

  it('moves an entry point to another department only with a queue of that department, naming the member the request set', async () => {
    const { useCase, updates } = setUp();
    await expect(useCase.execute('1001', { departmentId: '2' })).rejects.toMatchObject({ kind: 'QueueNotInDepartment', details: 'departmentId' });
    await expect(useCase.execute('1001', { queueId: '2' })).rejects.toMatchObject({ kind: 'QueueNotInDepartment', details: 'queueId' });
    await expect(useCase.execute('1001', { departmentId: '2', queueId: '1' })).rejects.toMatchObject({ kind: 'QueueNotInDepartment', details: 'queueId' });
    expect(updates).toEqual([]);
    const moved = await useCase.execute('1001', { departmentId: '2', queueId: '2' });
    expect([moved.departmentId, moved.queueId]).toEqual(['2', '2']);
  });

  it('answers 404 for an unknown entry point and names the field of an unknown reference', async () => {
    const { useCase } = setUp();
    await expect(useCase.execute('9', { name: 'x' })).rejects.toMatchObject({ kind: 'ResourceNotFound' });
    await expect(useCase.execute('1001', { queueId: '77' })).rejects.toMatchObject({ kind: 'ReferenceNotFound', details: 'queueId' });
    await expect(useCase.execute('1001', { departmentId: '77' })).rejects.toMatchObject({ kind: 'ReferenceNotFound', details: 'departmentId' });
  });
});
