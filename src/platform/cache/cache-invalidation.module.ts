import { Global, Module } from '@nestjs/common';
import { CacheInvalidation } from './cache-invalidation';
import { RedisCacheInvalidation } from './redis-cache-invalidation';

@Global()
@Module({
  providers: [{ provide: CacheInvalidation, useClass: RedisCacheInvalidation }],
  exports: [CacheInvalidation],
})
export class CacheInvalidationModule {}
