import { Module } from '@nestjs/common';
import { UserAccountRepository } from './application/user-account.repository';
import { UserDirectory } from './application/user-directory';
import { MysqlUserAccountRepository } from './infrastructure/mysql-user-account.repository';

/** Read access to users for other modules, without the login routes (the worker imports it too). */
@Module({
  providers: [UserDirectory, { provide: UserAccountRepository, useClass: MysqlUserAccountRepository }],
  exports: [UserDirectory],
})
export class UserDirectoryModule {}
