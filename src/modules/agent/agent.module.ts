import { Module } from '@nestjs/common';
import { AgentCapacityRepository } from './application/agent-capacity.repository';
import { AssignmentAvailability } from './application/assignment-availability';
import { ClaimAgent } from './application/claim-agent/claim-agent.use-case';
import { ReleaseAgentCapacity } from './application/release-agent-capacity/release-agent-capacity.use-case';
import { MysqlAgentCapacityRepository } from './infrastructure/mysql-agent-capacity.repository';

@Module({
  providers: [AssignmentAvailability, ClaimAgent, ReleaseAgentCapacity, { provide: AgentCapacityRepository, useClass: MysqlAgentCapacityRepository }],
  exports: [AssignmentAvailability, ClaimAgent, ReleaseAgentCapacity],
})
export class AgentModule {}
