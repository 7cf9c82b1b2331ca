import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { AppConfig } from '../config/app-config';
import { TtlCache } from '../cache/ttl-cache';
import { ATTRIBUTE_DEFINITION_COLUMNS, attributeDefinitionOf, type AttributeDefinitionRow } from './attribute-definition-row';
import type { AttributeDefinition, AttributeScope } from './attribute-rules';
import { PlatformSettings, SETTING_CUSTOMER_DEPARTMENTALIZATION } from './settings';

/**
 * Settings are read inside the caller's transaction when there is one (the start reads the
 * departmentalization setting and contact attribute definitions while it holds its
 * transaction). Reading them through another pooled connection instead deadlocks once as
 * many transactions as the pool has connections all wait for that one extra connection.
 */
@Injectable()
export class MysqlPlatformSettings extends PlatformSettings {
  private readonly definitions: TtlCache<Map<string, AttributeDefinition>>;
  private readonly values: TtlCache<Map<string, string>>;

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
    const rows: AttributeDefinitionRow[] = await this.txHost.tx.query(`SELECT ${ATTRIBUTE_DEFINITION_COLUMNS} FROM attribute_definition`);
    return new Map(rows.map((r) => [`${r.scope}:${r.name}`, attributeDefinitionOf(r)]));
  }

  private async loadValues(): Promise<Map<string, string>> {
    const rows: { name: string; value: string }[] = await this.txHost.tx.query('SELECT name, value FROM system_setting');
    return new Map(rows.map((r) => [r.name, r.value]));
  }
}
