import { Module } from '@nestjs/common';
import { SessionModule } from '../../platform/session/session.module';
import { AgentModule } from './agent.module';
import { LogOutExpiredAgents } from './application/log-out-expired-agents/log-out-expired-agents.use-case';
import { AgentPresenceSweeper } from './infrastructure/agent-presence-sweeper';
import { WorkerHeartbeat } from './infrastructure/worker-heartbeat';

/** What the worker process adds: its heartbeat, and presence following sessions that expire. */
@Module({
  imports: [AgentModule, SessionModule],
  providers: [WorkerHeartbeat, LogOutExpiredAgents, AgentPresenceSweeper],
})
export class AgentWorkerModule {}
