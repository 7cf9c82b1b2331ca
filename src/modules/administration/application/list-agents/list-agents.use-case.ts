import { Injectable } from '@nestjs/common';
import type { AgentAccount } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';

@Injectable()
export class ListAgents {
  constructor(private readonly agents: AgentAccountRepository) {}

  execute(): Promise<AgentAccount[]> {
    return this.agents.list();
  }
}
