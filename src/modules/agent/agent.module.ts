import { Module } from '@nestjs/common';
import { AgentCapacityRepository } from './application/agent-capacity.repository';
import { AssignmentAvailability } from './application/assignment-availability';
import { ClaimAgent } from './application/claim-agent/claim-agent.use-case';
import { MysqlAgentCapacityRepository } from './infrastructure/mysql-agent-capacity.repository';

@Module({
  providers: [AssignmentAvailability, ClaimAgent, { provide: AgentCapacityRepository, useClass: MysqlAgentCapacityRepository }],
  exports: [AssignmentAvailability, ClaimAgent],
})
export class AgentModule {}
