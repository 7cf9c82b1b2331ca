import { ApiProperty } from '@nestjs/swagger';
import type { EndpointDoc } from '../../../platform/openapi/api-endpoint.decorator';

class TransferTargetDepartmentView {
  @ApiProperty({ pattern: '^\\d{1,19}$', example: '2' }) id: string;
  @ApiProperty({ example: 'Support' }) name: string;
}
class TransferTargetQueueView {
  @ApiProperty({ pattern: '^\\d{1,19}$', example: '2', description: 'the queue.id of a transfer' }) id: string;
  @ApiProperty({ example: 'Support chat' }) name: string;
  @ApiProperty({ type: TransferTargetDepartmentView }) department: TransferTargetDepartmentView;
  @ApiProperty({ type: 'integer', minimum: 0, example: 4, description: 'chats waiting in the queue for an agent' }) waitingChats: number;
}
class TransferTargetQueueList {
  @ApiProperty({ type: TransferTargetQueueView, isArray: true }) queue: TransferTargetQueueView[];
}
class TransferTargetAgentView {
  @ApiProperty({ pattern: '^\\d{1,19}$', example: '3', description: 'the agent.id of a transfer' }) id: string;
  @ApiProperty({ example: 'Carol Agent', description: "the agent's display name" }) name: string;
  @ApiProperty({ enum: ['available'], description: 'only an available agent takes a transferred chat' }) availability: string;
  @ApiProperty({ type: 'integer', example: 2 }) maxChats: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'chats assigned to the agent and still open' }) activeChats: number;
  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'maxChats - activeChats: chats it can take now' }) freeChats: number;
}
class TransferTargetAgentList {
  @ApiProperty({ type: TransferTargetAgentView, isArray: true }) agent: TransferTargetAgentView[];
}
class TransferTargetsView {
  @ApiProperty({ type: TransferTargetQueueList }) queues: TransferTargetQueueList;
  @ApiProperty({ type: TransferTargetAgentList }) agents: TransferTargetAgentList;
}
export class TransferTargetsDocument {
  @ApiProperty({ type: TransferTargetsView }) transferTargets: TransferTargetsView;
}

export const TRANSFER_TARGETS_DOCS = {
  list: {
    summary: 'Where the agent may transfer a chat right now: the queues and the agents a transfer accepts',
    description:
      'The targets POST .../agent/chats/{conversationId}/transfer accepts at this moment, decided by the same rules: every ' +
      'queue (in id order, with its department and how many chats wait in it), and every agent other than the caller that is ' +
      'available and below its limit (by name, with its free chats). An agent left out is refused by the transfer with 409 ' +
      'AgentUnavailable, the caller itself with 400 TransferTargetInvalid. The list is read, not reserved: an agent listed may be ' +
      'taken or become unavailable before the transfer, which then answers 409 AgentUnavailable.',
    auth: 'agent',
    ok: {
      type: TransferTargetsDocument,
      example: {
        transferTargets: {
          queues: {
            queue: [
              { id: '1', name: 'Sales chat', department: { id: '1', name: 'Sales' }, waitingChats: 0 },
              { id: '2', name: 'Support chat', department: { id: '2', name: 'Support' }, waitingChats: 4 },
            ],
          },
          agents: { agent: [{ id: '3', name: 'Carol Agent', availability: 'available', maxChats: 2, activeChats: 1, freeChats: 1 }] },
        },
      },
    },
  },
} satisfies Record<string, EndpointDoc>;
