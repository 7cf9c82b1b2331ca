import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../platform/config/app-config';
import { Localizer } from '../../../../platform/i18n/localizer';
import { SETTING_CUSTOMER_DEPARTMENTALIZATION } from '../../../../platform/settings/settings';
import type { SystemSettings } from '../../domain/system-settings';
import { SystemSettingRepository } from '../system-setting.repository';

/**
 * The settings as stored (not as cached), with the languages the catalogues support. With
 * `lock`, inside a change's transaction: the rows stay locked until it ends.
 */
@Injectable()
export class ReadSystemSettings {
  constructor(private readonly settings: SystemSettingRepository, private readonly localizer: Localizer, private readonly config: AppConfig) {}

  async execute(options: { lock?: boolean } = {}): Promise<SystemSettings> {
    const stored = await this.settings.all(options);
    return {
      customerDepartmentalization: stored.get(SETTING_CUSTOMER_DEPARTMENTALIZATION) === 'true',
      defaultLanguage: this.config.DEFAULT_LANGUAGE,
      supportedLanguages: [...this.localizer.supportedLanguages()],
    };
  }
}
