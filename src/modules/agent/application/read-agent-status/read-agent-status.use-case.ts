import { Injectable } from '@nestjs/common';
import { AppError } from '../../../../platform/errors/app-error';
import type { AgentStatus } from '../../domain/agent-availability';
import { AgentRepository } from '../agent.repository';

@Injectable()
export class ReadAgentStatus {
  constructor(private readonly agents: AgentRepository) {}

  async execute(agentId: string): Promise<AgentStatus> {
    const status = await this.agents.status(agentId);
    if (!status) throw new AppError('ResourceNotFound', `agent ${agentId} does not exist`, undefined, { resource: 'agent' });
    return status;
  }
}
