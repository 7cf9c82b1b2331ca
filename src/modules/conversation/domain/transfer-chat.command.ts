import { TransferTargetInvalid } from './agent-chat.errors';

export type TransferTarget = { kind: 'queue'; queueId: string } | { kind: 'agent'; agentId: string };

const ID = /^\d{1,19}$/;

/** A chat is handed on to someone else: the agent that has it is no target of its own transfer. */
export function mayTransferToAgent(fromAgentId: string, agentId: string): boolean {
  return agentId !== fromAgentId;
}

/** A transfer of one chat by its agent: to a queue (back to waiting there) or to another agent. */
export class TransferChatCommand {
  private constructor(readonly conversationId: string, readonly fromAgentId: string, readonly target: TransferTarget) {}

  static create(input: { conversationId: string; fromAgentId: string; queueId?: string; agentId?: string }): TransferChatCommand {
    const { queueId, agentId } = input;
    if ((queueId === undefined) === (agentId === undefined)) throw new TransferTargetInvalid('give exactly one of queue.id and agent.id');
    if (queueId !== undefined) {
      if (!ID.test(queueId)) throw new TransferTargetInvalid('queue.id must be an id');
      return new TransferChatCommand(input.conversationId, input.fromAgentId, { kind: 'queue', queueId });
    }
    if (!ID.test(agentId!)) throw new TransferTargetInvalid('agent.id must be an id');
    if (!mayTransferToAgent(input.fromAgentId, agentId!)) throw new TransferTargetInvalid('a chat cannot be transferred to the agent that has it');
    return new TransferChatCommand(input.conversationId, input.fromAgentId, { kind: 'agent', agentId: agentId! });
  }

  /** What the transcript and the client application are told: `queue:<id>` or `agent:<id>`. */
  get description(): string {
    return this.target.kind === 'queue' ? `queue:${this.target.queueId}` : `agent:${this.target.agentId}`;
  }
}
