import { Injectable } from '@nestjs/common';
import type { AgentAccount } from '../../domain/configuration';
import { AgentAccountRepository } from '../agent-account.repository';
import type { ListPage, ListPageOf } from '../../domain/list-page';

@Injectable()
export class ListAgents {
  constructor(private readonly agents: AgentAccountRepository) {}

  execute(page: ListPage): Promise<ListPageOf<AgentAccount>> {
    return this.agents.list(page);
  }
}
