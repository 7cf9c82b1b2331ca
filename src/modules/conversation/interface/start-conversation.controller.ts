import { Body, Controller, HttpCode, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../../platform/config/app-config';
import { IdempotentAnswer } from '../../../platform/idempotency/idempotent-answer';
import { Idempotent } from '../../../platform/idempotency/idempotent.interceptor';
import { ApiEndpoint } from '../../../platform/openapi/api-endpoint.decorator';
import { checkXmlRoot } from '../../../platform/http/document-body';
import { validateBody } from '../../../platform/http/validate-body';
import { RateLimiter, type RateLimit } from '../../../platform/security/rate-limiter';
import { ClientApplicationGuard, CurrentClientApplication, type ClientApplicationPrincipal } from '../../client-application';
import { customerThrottleValueOfKey } from './start-throttle-key';
import { StartConversation, type StartedConversation } from '../application/start-conversation/start-conversation.use-case';
import { StartConversationCommand } from '../domain/start-conversation.command';
import { ConversationLocationInterceptor } from './conversation-location.interceptor';
import { conversationDocument } from './conversation.response';
import { START_CONVERSATION_DOC } from './start-conversation.api-doc';
import { StartConversationRequest, type Contact } from './start-conversation.request';
import { parseStartConversationQuery } from './start-conversation.query';
import { wireId, wireText } from './wire-values';

@ApiTags('messaging')
@Controller('ws/v19/clientapplications/messaging/conversation')
@UseGuards(ClientApplicationGuard)
export class StartConversationController {
  constructor(
    private readonly startConversation: StartConversation,
    private readonly cls: ClsService,
    private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly answers: IdempotentAnswer,
  ) {}

  @Post('start')
  @HttpCode(200)
  @Idempotent()
  // Below @Idempotent, so outside it: a replayed answer gets its Location too.
  @UseInterceptors(ConversationLocationInterceptor)
  @ApiEndpoint(START_CONVERSATION_DOC)
  async start(@Req() req: Request, @Query() query: Record<string, unknown>, @Body() body: unknown, @CurrentClientApplication() principal: ClientApplicationPrincipal) {
    const params = parseStartConversationQuery(query);
    checkXmlRoot(req, 'conversation');
    const request = validateBody(StartConversationRequest, body);
    const activity = request.activity;
    const info = activity?.payload?.chat?.clientInfo;
    const command = StartConversationCommand.create({
      ...params,
      entryPointId: wireId(request.entryPointConfiguration.entryPoint.id),
      lastModified: request.entryPointConfiguration.lastModified.date,
      caseId: activity?.case ? wireId(activity.case.id) : undefined,
      subject: activity?.subject,
      clientInfo: info && {
        timeOffset: wireText(info.timeOffset),
        referrerName: wireText(info.referrerName),
        referrerURL: wireText(info.referrerURL),
        isRichTextSupported: wireText(info.isRichTextSupported),
      },
      customAttributes: (activity?.customAttributes?.customAttribute ?? []).map((a) => ({ name: a.attribName, values: a.attribValues.attribValue.map((v) => String(v.value)) })),
      customer: activity?.customer && { type: activity.customer.type?.value ?? 'individual', contacts: activity.customer.contacts.contact.map(toContactPerson) },
    });
    await this.throttle(principal, command);
    const answer = (started: StartedConversation) => conversationDocument(started, this.config.CONTEXT_PATH);
    // The answer kept for retries commits with the conversation: a crash between the two would let a retry start it again.
    const started = await this.startConversation.execute(command, principal, this.cls.getId(), (s) => this.answers.record(answer(s)));
    return answer(started);
  }

  /** One widget cannot flood the agents: starts are limited per application and per customer identifier. */
  private async throttle(principal: ClientApplicationPrincipal, command: StartConversationCommand): Promise<void> {
    const { START_THROTTLE_WINDOW_MS: window, START_THROTTLE_LIMIT_PER_APPLICATION: perApplication, START_THROTTLE_LIMIT_PER_CUSTOMER: perCustomer } = this.config;
    // Both limits are the application's (scope): on Redis Cluster their counters share a slot.
    const scope = principal.clientApplicationId;
    const limits: RateLimit[] = [{ name: 'start-per-application', key: principal.clientApplicationId, scope, limit: perApplication, windowMs: window }];
    if (command.mode.kind === 'identified') {
      const { searchAttribute, searchKey } = command.mode;
      const value = customerThrottleValueOfKey(searchKey);
      limits.push({ name: 'start-per-customer', key: `${principal.clientApplicationId}:${searchAttribute}:${value}`, scope, limit: perCustomer, windowMs: window });
    }
    // A start refused by one limit counts against neither: a customer over its limit does not use up the application's.
    await this.limiter.hitAll(limits);
  }
}

function toContactPerson(c: Contact) {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    emails: (c.email ?? []).map((e) => e.emailAddress),
    phones: (c.phone ?? []).map((p) => ({ type: p.type.value, number: String(p.phoneNo) })),
    socials: (c.social ?? []).map((s) => ({ type: s.type.value, id: String(s.socialId) })),
    externalId: wireText(c.externalId),
    customAttributes: (c.customAttributes?.customAttribute ?? []).map((a) => ({ name: a.attribName, values: a.attribValues.attribValue.map((v) => String(v.value)) })),
  };
}
