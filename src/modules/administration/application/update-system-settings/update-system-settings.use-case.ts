import { Injectable } from '@nestjs/common';
import { SETTING_CUSTOMER_DEPARTMENTALIZATION } from '../../../../platform/settings/settings';
import type { SystemSettings } from '../../domain/system-settings';
import { ConfigurationChange } from '../configuration-change';
import { ReadSystemSettings } from '../read-system-settings/read-system-settings.use-case';
import { SystemSettingRepository } from '../system-setting.repository';

/**
 * Customer departmentalization applies to the next starts: customers found or created
 * before keep the department (or none) they have.
 */
@Injectable()
export class UpdateSystemSettings {
  constructor(private readonly settings: SystemSettingRepository, private readonly read: ReadSystemSettings, private readonly change: ConfigurationChange) {}

  async execute(changes: { customerDepartmentalization?: boolean }): Promise<SystemSettings> {
    await this.change.apply(async () => {
      if (changes.customerDepartmentalization !== undefined) {
        await this.settings.set(SETTING_CUSTOMER_DEPARTMENTALIZATION, String(changes.customerDepartmentalization));
      }
    });
    return this.read.execute();
  }
}
