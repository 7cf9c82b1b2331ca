import { Injectable } from '@nestjs/common';
import type { AgentAccount } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';
import { found } from '../found';

@Injectable()
export class GetAgent {
  constructor(private readonly agents: AgentAccountRepository) {}

  async execute(id: string): Promise<AgentAccount> {
    return found(await this.agents.byId(id), 'agent', id);
  }
}
