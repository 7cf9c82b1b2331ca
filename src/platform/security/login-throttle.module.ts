import { Global, Module } from '@nestjs/common';
import { LoginThrottle } from './login-throttle';

/** One LoginThrottle for the whole api, so that every login route and the queue dashboard count in the same place. */
@Global()
@Module({
  providers: [LoginThrottle],
  exports: [LoginThrottle],
})
export class LoginThrottleModule {}
