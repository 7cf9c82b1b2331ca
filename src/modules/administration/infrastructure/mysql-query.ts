import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { isDuplicateKey } from '../../../platform/database/transaction-retry';
import { ResourceAlreadyExists } from '../domain/administration.errors';
import { pageFromRows, type ListPage, type ListPageOf } from '../domain/list-page';

/** Shared by the administration repositories: raw SQL on the ambient transaction. */
@Injectable()
export abstract class MysqlConfigurationTable {
  constructor(protected readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {}

  protected query<T = unknown>(sql: string, params: unknown[] = []): Promise<T> {
    return this.txHost.tx.query(sql, params) as Promise<T>;
  }

  /**
   * A page of `select` (a SELECT with no WHERE, ORDER BY or LIMIT) in id order: the rows whose
   * `idColumn` is above the page's `after` and that pass `filter`, one more than the limit read
   * so that the page knows whether more follow.
   */
  protected async listPage<R, T>(select: string, idColumn: string, page: ListPage, toItem: (row: R) => T, filter?: { sql: string; params: unknown[] }): Promise<ListPageOf<T>> {
    const where = [...(filter ? [filter.sql] : []), `${idColumn} > CAST(? AS UNSIGNED)`].join(' AND ');
    const rows = await this.query<R[]>(`${select} WHERE ${where} ORDER BY ${idColumn} LIMIT ?`, [...(filter?.params ?? []), page.after ?? '0', page.limit + 1]);
    return pageFromRows(rows.map(toItem), page);
  }

  /** An INSERT that answers the new id; a unique-key violation is the named conflict. */
  protected async insert(sql: string, params: unknown[], resource: string, field: string): Promise<string> {
    try {
      const result = await this.query<{ insertId: number | string }>(sql, params);
      return String(result.insertId);
    } catch (err) {
      if (isDuplicateKey(err)) throw new ResourceAlreadyExists(resource, field);
      throw err;
    }
  }

  /** `UPDATE table SET a = ?, b = ? WHERE id = ?` for the given columns (undefined ones left out). */
  protected async updateColumns(table: string, id: string, columns: Record<string, unknown>, resource: string, field: string, extra = ''): Promise<void> {
    const set = Object.entries(columns).filter(([, v]) => v !== undefined);
    if (set.length === 0 && !extra) return;
    const assignments = [...set.map(([c]) => `${c} = ?`), ...(extra ? [extra] : [])].join(', ');
    try {
      await this.query(`UPDATE ${table} SET ${assignments} WHERE id = ?`, [...set.map(([, v]) => v), id]);
    } catch (err) {
      if (isDuplicateKey(err)) throw new ResourceAlreadyExists(resource, field);
      throw err;
    }
  }
}

export const idOrNothing = (id: string) => (/^\d{1,19}$/.test(id) ? id : undefined);
