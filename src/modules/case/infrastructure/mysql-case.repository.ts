import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { CaseRepository, type CaseOwner } from '../application/case.repository';
import { preparedQuery } from '../../../platform/database/prepared-query';

@Injectable()
export class MysqlCaseRepository extends CaseRepository {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async findOwner(caseId: string): Promise<CaseOwner | undefined> {
    const rows: { customer_id: string | null }[] = await this.txHost.tx.query('SELECT customer_id FROM customer_case WHERE id = ?', [caseId]);
    return rows.length === 0 ? undefined : { customerId: rows[0].customer_id === null ? null : String(rows[0].customer_id) };
  }

  async create(input: { customerId: string | null; departmentId: string; subject: string | null }): Promise<string> {
    const result = await preparedQuery<{ insertId: number | string }>(
      this.txHost.tx,
      'INSERT INTO customer_case (customer_id, department_id, subject, created_at) VALUES (?, ?, ?, NOW(3))',
      [input.customerId, input.departmentId, input.subject],
    );
    return String(result.insertId);
  }
}
