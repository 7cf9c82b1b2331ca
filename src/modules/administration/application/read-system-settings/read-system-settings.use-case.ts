import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../../platform/config/app-config';
import { Localizer } from '../../../../platform/i18n/localizer';
import { SETTING_CUSTOMER_DEPARTMENTALIZATION } from '../../../../platform/settings/settings';
import type { SystemSettings } from '../../domain/system-settings';
import { SystemSettingRepository } from '../system-setting.repository';

/** The settings as stored (not as cached), with the languages the catalogues support. */
@Injectable()
export class ReadSystemSettings {
  constructor(private readonly settings: SystemSettingRepository, private readonly localizer: Localizer, private readonly config: AppConfig) {}

  async execute(): Promise<SystemSettings> {
    const stored = await this.settings.all();
    return {
      customerDepartmentalization: stored.get(SETTING_CUSTOMER_DEPARTMENTALIZATION) === 'true',
      defaultLanguage: this.config.DEFAULT_LANGUAGE,
      supportedLanguages: [...this.localizer.supportedLanguages()],
    };
  }
}
