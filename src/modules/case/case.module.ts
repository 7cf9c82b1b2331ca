import { Module } from '@nestjs/common';
import { CaseRepository } from './application/case.repository';
import { ResolveCase } from './application/resolve-case/resolve-case.use-case';
import { MysqlCaseRepository } from './infrastructure/mysql-case.repository';

@Module({
  providers: [ResolveCase, { provide: CaseRepository, useClass: MysqlCaseRepository }],
  exports: [ResolveCase],
})
export class CaseModule {}
