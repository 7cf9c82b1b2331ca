import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LoginThrottle, SHARED_LOGIN_COUNTERS } from './login-throttle';
import { RedisLoginCounters } from './redis-login-counters';
import { SHARED_COUNTERS_TIMEOUT_MS } from './shared-counters-outage';

/**
 * One LoginThrottle for the whole api, so that every login route and the queue dashboard count
 * in the same place; its counters are in Redis under REDIS_PREFIX, so they are the same in
 * every api process and on every host.
 */
@Global()
@Module({
  providers: [
    {
      provide: SHARED_LOGIN_COUNTERS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        // Without the offline queue a login fails over at once while Redis is away, instead of
        // waiting for the reconnection; the timeout covers a Redis that hangs.
        const storage = new RedisLoginCounters({
          host: config.REDIS_HOST,
          port: config.REDIS_PORT,
          keyPrefix: `${config.REDIS_PREFIX}:login-throttle:`,
          enableOfflineQueue: false,
          commandTimeout: SHARED_COUNTERS_TIMEOUT_MS,
          maxRetriesPerRequest: 1,
          enableReadyCheck: false,
        });
        const logger = new Logger('LoginThrottle');
        // LoginThrottle logs the outage once; the connection's own errors repeat at every reconnection.
        storage.redis.on('error', (err: Error) => logger.debug({ err: err.message }, 'login throttle connection error'));
        // Its onModuleDestroy closes the connection it opened.
        return storage;
      },
    },
    LoginThrottle,
  ],
  exports: [LoginThrottle],
})
export class LoginThrottleModule {}
