import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../platform/config/app-config';
import { NOTHING_COUNTED, RateLimiter } from '../../../platform/security/rate-limiter';
import { MessageThrottle, type SpentAllowance } from '../application/message-throttle';
import type { AgentMessageType, CustomerMessageType, SendMessageCommand } from '../domain/send-message.command';

/**
 * One client application cannot flood a conversation, nor one agent its customers: sendmessage
 * is limited per conversation on the customer side and per agent on the agent side, within
 * SENDMESSAGE_THROTTLE_WINDOW_MS, in the store THROTTLE_STORE chooses, with the start throttle's.
 *
 * Typing (startTyping, endTyping) has an allowance of its own, of the same size: a widget that
 * reports every pause in typing must not use up what its customer may still write. `complete` is
 * never counted nor refused: ending a conversation is what a flooding client should still do.
 */
@Injectable()
export class SendMessageThrottle extends MessageThrottle {
  constructor(private readonly config: AppConfig, private readonly limiter: RateLimiter) {
    super();
  }

  /** Keyed by the application as well, though only its own conversations are counted (MessageThrottle). */
  async customer(clientApplicationId: string, command: SendMessageCommand<CustomerMessageType>): Promise<SpentAllowance> {
    if (command.type === 'complete') return NOTHING_COUNTED;
    const limit = this.config.SENDMESSAGE_THROTTLE_LIMIT_PER_CONVERSATION;
    return this.limiter.hit(`sendmessage${typingSuffix(command.type)}-per-conversation`, `${clientApplicationId}:${command.conversationId}`, limit, this.config.SENDMESSAGE_THROTTLE_WINDOW_MS);
  }

  /** Across all of the agent's chats: the agent's client is the one that could misbehave. */
  async agent(userId: string, command: SendMessageCommand<AgentMessageType>): Promise<SpentAllowance> {
    const limit = this.config.SENDMESSAGE_THROTTLE_LIMIT_PER_AGENT;
    return this.limiter.hit(`sendmessage${typingSuffix(command.type)}-per-agent`, userId, limit, this.config.SENDMESSAGE_THROTTLE_WINDOW_MS);
  }
}

function typingSuffix(type: string): string {
  return type === 'startTyping' || type === 'endTyping' ? '-typing' : '';
}
