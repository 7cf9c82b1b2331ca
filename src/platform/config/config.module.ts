import { Global, Module } from '@nestjs/common';
import { AppConfig, validateEnv } from './app-config';

/** Config is read once from the environment, validated, and injected typed as `AppConfig`. */
@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: () => validateEnv(process.env) }],
  exports: [AppConfig],
})
export class AppConfigModule {}
