import { Injectable } from '@nestjs/common';
import { SystemSettingRepository } from '../application/system-setting.repository';
import { MysqlConfigurationTable } from './mysql-query';

@Injectable()
export class MysqlSystemSettingRepository extends MysqlConfigurationTable implements SystemSettingRepository {
  async all(options: { lock?: boolean } = {}): Promise<Map<string, string>> {
    const rows = await this.query<{ name: string; value: string }[]>(`SELECT name, value FROM system_setting${options.lock ? ' FOR UPDATE' : ''}`);
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  async set(name: string, value: string): Promise<void> {
    await this.query('INSERT INTO system_setting (name, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)', [name, value]);
  }
}
