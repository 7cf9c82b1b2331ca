import { Injectable } from '@nestjs/common';
import { AppError } from '../../../../platform/errors/app-error';
import { AgentUnavailable } from '../../domain/agent.errors';
import { AgentCapacityRepository } from '../agent-capacity.repository';
import { AgentRepository } from '../agent.repository';

/**
 * Takes a slot of one given agent in the caller's transaction, or refuses: the same
 * conditional update as any assignment, so a transfer can never push an agent over its limit.
 */
@Injectable()
export class ClaimNamedAgent {
  constructor(private readonly capacity: AgentCapacityRepository, private readonly agents: AgentRepository) {}

  async execute(agentId: string): Promise<void> {
    if (!/^\d{1,19}$/.test(agentId) || !(await this.agents.status(agentId))) {
      throw new AppError('ResourceNotFound', `agent ${agentId} does not exist`, 'agent.id', { resource: 'agent' });
    }
    if (!(await this.capacity.claimNamed(agentId))) throw new AgentUnavailable(agentId);
  }
}
