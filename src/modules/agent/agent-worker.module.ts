import { Module } from '@nestjs/common';
import { AgentModule } from './agent.module';
import { WorkerHeartbeat } from './infrastructure/worker-heartbeat';

/** What the worker process adds: its heartbeat. */
@Module({
  imports: [AgentModule],
  providers: [WorkerHeartbeat],
})
export class AgentWorkerModule {}
