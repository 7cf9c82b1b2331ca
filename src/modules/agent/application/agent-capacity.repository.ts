import type { AgentOffer } from '../domain/agent-availability';

/**
 * What a claim got: a slot; no agent of the queue with spare capacity; or, for a caller that
 * may not wait, the agents to take were held by other transactions.
 */
export type Claim = { outcome: 'claimed'; agentId: string } | { outcome: 'no-agent' } | { outcome: 'agents-held' };

export abstract class AgentCapacityRepository {
  /**
   * Locks and takes one chat slot of an available agent of the queue, chosen by the
   * queue's strategy. Joins the caller's transaction, so the slot is returned if the
   * assignment rolls back. `mayWait`: the transaction holds no agent row yet, so it may
   * wait for the rows other transactions hold (one that holds some could deadlock).
   */
  abstract claim(queueId: string, mayWait: boolean): Promise<Claim>;
  /**
   * Takes one slot of this agent (a transfer by name): only if it is available and below
   * its limit; false otherwise. Joins the caller's transaction.
   */
  abstract claimNamed(agentId: string): Promise<boolean>;
  /**
   * The agents claimNamed would take a slot of now, by the same condition: what an agent may
   * transfer a chat to. A plain read: the claim itself still decides.
   */
  abstract agentsTakingChats(): Promise<AgentOffer[]>;
  /** Gives back one slot (the chat ended or moved). */
  abstract release(agentId: string): Promise<void>;
  abstract hasFreeAgent(queueId: string): Promise<boolean>;
  abstract liveWorkerCount(ttlMs: number): Promise<number>;
}
