import { Module } from '@nestjs/common';
import { CustomerRepository } from './application/customer.repository';
import { FindOrCreateCustomer } from './application/find-or-create-customer/find-or-create-customer.use-case';
import { MysqlCustomerRepository } from './infrastructure/mysql-customer.repository';

@Module({
  providers: [FindOrCreateCustomer, { provide: CustomerRepository, useClass: MysqlCustomerRepository }],
  exports: [FindOrCreateCustomer],
})
export class CustomerModule {}
