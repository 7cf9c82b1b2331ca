import { Module } from '@nestjs/common';
import { UserAccountModule } from '../user-account';
import { AgentModule } from './agent.module';
import { AgentStatusController } from './interface/agent-status.controller';
import { AgentSessionListener } from './interface/agent-session.listener';

/** What the api process adds: the agent's own endpoints, and presence following its sessions. */
@Module({
  imports: [AgentModule, UserAccountModule],
  controllers: [AgentStatusController],
  providers: [AgentSessionListener],
})
export class AgentApiModule {}
