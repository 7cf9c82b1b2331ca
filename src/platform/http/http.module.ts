import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Localizer } from '../i18n/localizer';
import { BodyFormatGuard } from './body-format.guard';
import { BodyParserMiddleware } from './body-parser.middleware';
import { catalogueModule } from './catalogue-module';
import { HttpConventionsMiddleware } from './http-conventions.middleware';
import { NegotiationMiddleware } from './negotiation.middleware';
import { RequestTimeoutMiddleware } from './request-timeout.middleware';
import { WireFormatInterceptor } from './wire-format.interceptor';
import { WsErrorFilter } from './ws-error.filter';
import { WsErrorRenderer } from './ws-error.renderer';

/**
 * The HTTP conventions of the API family, for every route: content negotiation first,
 * then the body in JSON, XML or multipart, WSError for every failure, XML answers on request.
 */
@Global()
@Module({
  imports: [catalogueModule()],
  providers: [
    Localizer,
    RequestTimeoutMiddleware,
    NegotiationMiddleware,
    BodyParserMiddleware,
    WsErrorRenderer,
    { provide: APP_FILTER, useClass: WsErrorFilter },
    { provide: APP_INTERCEPTOR, useClass: WireFormatInterceptor },
    { provide: APP_GUARD, useClass: BodyFormatGuard },
  ],
  exports: [Localizer],
})
export class HttpPlatformModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpConventionsMiddleware).forRoutes('{*path}');
  }
}
