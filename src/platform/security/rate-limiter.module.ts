import { Module } from '@nestjs/common';
import { AppConfig, throttleStore } from '../config/app-config';
import { MemoryRateLimitStore } from './memory-rate-limit-store';
import { RATE_LIMIT_STORE, RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit-store';

/**
 * The RateLimiter of the start and sendmessage throttles, counting where THROTTLE_STORE says: in this
 * process's memory, or in Redis under REDIS_PREFIX (keys `<REDIS_PREFIX>:rate-limit:…`).
 * Its callers do not know which.
 */
@Module({
  providers: [
    {
      provide: RATE_LIMIT_STORE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        throttleStore(config) === 'redis'
          ? RedisRateLimitStore.connect({ host: config.REDIS_HOST, port: config.REDIS_PORT, keyPrefix: `${config.REDIS_PREFIX}:rate-limit:` })
          : new MemoryRateLimitStore(),
    },
    RateLimiter,
  ],
  exports: [RateLimiter],
})
export class RateLimiterModule {}
