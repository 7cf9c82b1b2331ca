import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthChecks } from './health-checks';
import { WorkerHealthServer } from './worker-health.server';

/** The worker's health port (WORKER_HEALTH_PORT); nothing listens when it is unset. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [HealthChecks, WorkerHealthServer],
})
export class WorkerHealthModule {}
