import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isDuplicateKey, RetryableConflict } from '../../../platform/database/transaction-retry';
import { CustomerRepository, type NewCustomer } from '../application/customer.repository';
import { CustomerCreationFailed } from '../domain/customer.errors';
import { preparedQuery } from '../../../platform/database/prepared-query';

/**
 * The creation lock's bucket of a contact point: the first two bytes of a digest of (scope,
 * attribute, key). The table holds at most 65536 rows, and contact points that share a bucket
 * only wait for each other.
 */
export function creationLockBucket(scope: string, attribute: string, key: string): number {
  return createHash('sha256').update(`${scope}\u0000${attribute}\u0000${key}`, 'utf8').digest().readUInt16BE(0);
}

@Injectable()
export class MysqlCustomerRepository extends CustomerRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async findIdsByContact(attribute: string, key: string, departmentId: string | null, limit: number): Promise<string[]> {
    const rows: { customer_id: string }[] = departmentId === null
      ? await preparedQuery<{ customer_id: string }[]>(this.txHost.tx, `SELECT DISTINCT customer_id FROM contact_point WHERE attribute = ? AND normalized_value = ? LIMIT ${Number(limit)}`, [attribute, key])
      : await preparedQuery<{ customer_id: string }[]>(this.txHost.tx, `SELECT DISTINCT customer_id FROM contact_point WHERE attribute = ? AND normalized_value = ? AND department_id = ? LIMIT ${Number(limit)}`, [attribute, key, departmentId]);
    return rows.map((r) => String(r.customer_id));
  }

  async lockForCreation(scope: string, points: { attribute: string; key: string }[]): Promise<void> {
    // The searched point is listed again among the contact points: each distinct point is digested once.
    const distinct = points.filter((p, i) => points.findIndex((q) => q.attribute === p.attribute && q.key === p.key) === i);
    const buckets = [...new Set(distinct.map((p) => creationLockBucket(scope, p.attribute, p.key)))].sort((a, b) => a - b);
    if (buckets.length === 0) return;
    // A row is locked whether this inserts it or finds it; ascending order, so no two lockers deadlock.
    await this.txHost.tx.query(`INSERT INTO contact_point_lock (bucket) VALUES ${buckets.map(() => '(?)').join(', ')} ON DUPLICATE KEY UPDATE bucket = bucket`, buckets);
  }

  async create(customer: NewCustomer): Promise<string> {
    const { profile, departmentId } = customer;
    const custom = profile.contact.customAttributes.length > 0 ? JSON.stringify(profile.contact.customAttributes) : null;
    const inserted = await preparedQuery<{ insertId: number | string }>(
      this.txHost.tx,
      'INSERT INTO customer (department_id, type, first_name, last_name, custom_attributes, created_at) VALUES (?, ?, ?, ?, ?, NOW(3))',
      [departmentId, profile.type, profile.contact.firstName ?? null, profile.contact.lastName ?? null, custom],
    );
    const customerId = String(inserted.insertId);
    const lookup = customer.lookupKey;
    let keyPlaced = false;
    const rows = customer.contactPoints.map((p) => {
      const isKey = !keyPlaced && p.attribute === lookup.attribute && p.key === lookup.key;
      if (isKey) keyPlaced = true;
      // The key is written exactly as searches compute it (it always fits the column). The
      // value as given is only shown, so a long custom attribute value is cut to the
      // column, by characters so that no surrogate pair is split.
      return [customerId, departmentId, p.attribute, [...p.value].slice(0, 255).join(''), p.key, isKey ? lookup.scope : null];
    });
    try {
      await this.txHost.tx.query(
        `INSERT INTO contact_point (customer_id, department_id, attribute, value, normalized_value, lookup_scope) VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      );
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new RetryableConflict(`customer with ${lookup.attribute} created concurrently`, () => new CustomerCreationFailed(`${lookup.attribute} is taken but its customer cannot be found`));
      }
      throw err;
    }
    return customerId;
  }
}
