import { Injectable, type OnModuleInit } from '@nestjs/common';
import { UserSessionEvents, type UserSessionEvent } from '../../user-account';
import { UpdateAgentPresence } from '../application/update-agent-presence/update-agent-presence.use-case';

/** Agents' logins and logouts change their availability (see UpdateAgentPresence). */
@Injectable()
export class AgentSessionListener implements OnModuleInit {
  constructor(private readonly events: UserSessionEvents, private readonly presence: UpdateAgentPresence) {}

  onModuleInit(): void {
    this.events.subscribe((event) => this.onSessionEvent(event));
  }

  private async onSessionEvent(event: UserSessionEvent): Promise<void> {
    if (event.role !== 'agent') return;
    await this.presence.execute({ agentId: event.userId, event: event.type });
  }
}
