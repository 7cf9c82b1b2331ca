import { Global, Module } from '@nestjs/common';
import { MysqlSessionStore } from './mysql-session.store';
import { SessionStore } from './session';

@Global()
@Module({
  providers: [{ provide: SessionStore, useClass: MysqlSessionStore }],
  exports: [SessionStore],
})
export class SessionModule {}
