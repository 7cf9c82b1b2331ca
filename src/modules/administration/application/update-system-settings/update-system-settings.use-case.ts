import { Injectable } from '@nestjs/common';
import { SETTING_CUSTOMER_DEPARTMENTALIZATION } from '../../../../platform/settings/settings';
import type { SystemSettings } from '../../domain/system-settings';
import { ConfigurationChange } from '../configuration-change';
import { ReadSystemSettings } from '../read-system-settings/read-system-settings.use-case';
import { checkVersion, type ExpectedVersion } from '../resource-version';
import { SystemSettingRepository } from '../system-setting.repository';

/**
 * Customer departmentalization applies to the next starts: customers found or created
 * before keep the department (or none) they have. With If-Match, only while the settings are
 * still at the version read, checked on the rows read under their lock, as for every other
 * administered resource.
 */
@Injectable()
export class UpdateSystemSettings {
  constructor(private readonly settings: SystemSettingRepository, private readonly read: ReadSystemSettings, private readonly change: ConfigurationChange) {}

  execute(changes: { customerDepartmentalization?: boolean }, expected?: ExpectedVersion): Promise<SystemSettings> {
    return this.change.apply(async () => {
      checkVersion('system settings resource', undefined, await this.read.execute({ lock: true }), expected);
      if (changes.customerDepartmentalization !== undefined) {
        await this.settings.set(SETTING_CUSTOMER_DEPARTMENTALIZATION, String(changes.customerDepartmentalization));
      }
      return this.read.execute();
    });
  }
}
