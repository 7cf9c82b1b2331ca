import { Global, Module } from '@nestjs/common';
import { IdempotencyStore } from './idempotency.store';
import { IdempotentAnswer } from './idempotent-answer';
import { IdempotentInterceptor } from './idempotent.interceptor';

@Global()
@Module({
  providers: [IdempotencyStore, IdempotentAnswer, IdempotentInterceptor],
  exports: [IdempotencyStore, IdempotentAnswer, IdempotentInterceptor],
})
export class IdempotencyModule {}
