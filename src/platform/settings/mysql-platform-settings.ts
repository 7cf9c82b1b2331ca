import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config';
import { TtlCache } from '../cache/ttl-cache';
import type { AttributeDefinition, AttributeScope } from './attribute-rules';
import { PlatformSettings, SETTING_CUSTOMER_DEPARTMENTALIZATION } from './settings';

interface DefinitionRow { scope: AttributeScope; name: string; type: 'string' | 'enum'; enum_values: string[] | string | null; max_length: number; searchable: number }

@Injectable()
export class MysqlPlatformSettings extends PlatformSettings {
  private readonly definitions: TtlCache<Map<string, AttributeDefinition>>;
  private readonly values: TtlCache<Map<string, string>>;

  /**
   * Loads go through the caller's transaction when there is one. Loading on a second pooled
   * connection from inside a transaction deadlocked the api under load: with every
   * connection held by a transaction waiting for the same cache refill, none was left for it.
   */
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>, config: AppConfig) {
    super();
    this.definitions = new TtlCache(config.CONFIG_CACHE_TTL_MS);
    this.values = new TtlCache(config.CONFIG_CACHE_TTL_MS);
  }

  async attributeDefinition(scope: AttributeScope, name: string): Promise<AttributeDefinition | undefined> {
    const all = await this.definitions.get('all', () => this.loadDefinitions());
    return all.get(`${scope}:${name}`);
  }

  async customerDepartmentalization(): Promise<boolean> {
    const all = await this.values.get('all', () => this.loadValues());
    return all.get(SETTING_CUSTOMER_DEPARTMENTALIZATION) === 'true';
  }

  invalidate(): void {
    this.definitions.invalidate();
    this.values.invalidate();
  }

  private async loadDefinitions(): Promise<Map<string, AttributeDefinition>> {
    const rows: DefinitionRow[] = await this.txHost.tx.query('SELECT scope, name, type, enum_values, max_length, searchable FROM attribute_definition');
    return new Map(
      rows.map((r) => [
        `${r.scope}:${r.name}`,
        {
          scope: r.scope,
          name: r.name,
          type: r.type,
          enumValues: r.enum_values === null ? [] : typeof r.enum_values === 'string' ? (JSON.parse(r.enum_values) as string[]) : r.enum_values,
          maxLength: Number(r.max_length),
          searchable: Number(r.searchable) === 1,
        },
      ]),
    );
  }

  private async loadValues(): Promise<Map<string, string>> {
    const rows: { name: string; value: string }[] = await this.txHost.tx.query('SELECT name, value FROM system_setting');
    return new Map(rows.map((r) => [r.name, r.value]));
  }
}
