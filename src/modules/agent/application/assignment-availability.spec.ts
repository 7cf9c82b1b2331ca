import type { AppConfig } from '../../../platform/config/app-config';
import type { AgentCapacityRepository } from './agent-capacity.repository';
import { AssignmentAvailability } from './assignment-availability';

describe('AssignmentAvailability.hasFreeAgent', () => {
  function availability(ttlMs: number, answers: boolean[]) {
    const reads: string[] = [];
    const agents = { hasFreeAgent: async (queueId: string) => (reads.push(queueId), answers.shift() ?? false) } as unknown as AgentCapacityRepository;
    const config = { AVAILABILITY_CACHE_TTL_MS: ttlMs } as AppConfig;
    return { subject: new AssignmentAvailability(agents, config), reads };
  }

  it('trusts a recent "yes" for the TTL, per queue', async () => {
    const { subject, reads } = availability(10_000, [true, true]);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(true);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(true);
    expect(await subject.hasFreeAgent('2', { recent: true })).toBe(true);
    expect(reads).toEqual(['1', '2']);
  });

  it('never remembers a "no"', async () => {
    const { subject, reads } = availability(10_000, [false, true]);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(false);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(true);
    expect(reads).toEqual(['1', '1']);
  });

  it('forgets a "yes" when a later read says no, and asks again after the TTL', async () => {
    const { subject, reads } = availability(30, [true, false, true]);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(true);
    expect(await subject.hasFreeAgent('1')).toBe(false);
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(true);
    await new Promise((r) => setTimeout(r, 40));
    expect(await subject.hasFreeAgent('1', { recent: true })).toBe(false);
    expect(reads).toEqual(['1', '1', '1', '1']);
  });

  it('asks every time without `recent` or with a TTL of 0', async () => {
    const { subject, reads } = availability(0, [true, true, true]);
    await subject.hasFreeAgent('1', { recent: true });
    await subject.hasFreeAgent('1', { recent: true });
    await subject.hasFreeAgent('1');
    expect(reads).toHaveLength(3);
  });
});
