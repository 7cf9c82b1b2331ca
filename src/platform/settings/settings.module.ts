import { Global, Module } from '@nestjs/common';
import { MysqlPlatformSettings } from './mysql-platform-settings';
import { PlatformSettings } from './settings';

@Global()
@Module({
  providers: [{ provide: PlatformSettings, useClass: MysqlPlatformSettings }],
  exports: [PlatformSettings],
})
export class SettingsModule {}
