/** What other modules may use of the customer module. */
export { CustomerModule } from './customer.module';
export { FindOrCreateCustomer } from './application/find-or-create-customer/find-or-create-customer.use-case';
export * from './domain';
