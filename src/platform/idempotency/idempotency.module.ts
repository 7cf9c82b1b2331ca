import { Global, Module } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store';
import { IdempotentInterceptor } from './idempotent.interceptor';

@Global()
@Module({
  providers: [IdempotencyStore, IdempotentInterceptor],
  exports: [IdempotencyStore, IdempotentInterceptor],
})
export class IdempotencyModule {}
