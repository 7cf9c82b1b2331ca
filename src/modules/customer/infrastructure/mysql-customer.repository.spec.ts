import type { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { MysqlCustomerRepository, creationLockBucket } from './mysql-customer.repository';

describe('creation lock buckets', () => {
  it('are the rows every process locks: the same digest of (scope, attribute, key) as written before', () => {
    expect(creationLockBucket('0', 'email.emailAddress', 'ada@example.com')).toBe(56604);
    expect(creationLockBucket('0', 'mobile.phone', '+442079460000')).toBe(34330);
    expect(creationLockBucket('3', 'email.emailAddress', 'ada@example.com')).toBe(15939);
  });

  it('locks each bucket once, in ascending order, for a point listed twice', async () => {
    const statements: { sql: string; params: unknown[] }[] = [];
    const txHost = { tx: { query: async (sql: string, params: unknown[]) => void statements.push({ sql, params }) } } as unknown as TransactionHost<TransactionalAdapterTypeOrm>;
    await new MysqlCustomerRepository(txHost).lockForCreation('0', [
      { attribute: 'email.emailAddress', key: 'ada@example.com' },
      { attribute: 'mobile.phone', key: '+442079460000' },
      { attribute: 'email.emailAddress', key: 'ada@example.com' },
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0].params).toEqual([34330, 56604]);
    expect(statements[0].sql).toContain('VALUES (?), (?) ON DUPLICATE KEY');
  });
});
