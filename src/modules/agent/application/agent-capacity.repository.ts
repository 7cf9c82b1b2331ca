export abstract class AgentCapacityRepository {
  /**
   * Locks and takes one chat slot of an available agent of the queue, chosen by the
   * queue's strategy; undefined when no agent has spare capacity. Joins the caller's
   * transaction, so the slot is returned if the assignment rolls back.
   */
  abstract claim(queueId: string): Promise<string | undefined>;
  /**
   * Takes one slot of this agent (a transfer by name): only if it is available and below
   * its limit; false otherwise. Joins the caller's transaction.
   */
  abstract claimNamed(agentId: string): Promise<boolean>;
  /** Gives back one slot (the chat ended or moved). */
  abstract release(agentId: string): Promise<void>;
  abstract hasFreeAgent(queueId: string): Promise<boolean>;
  abstract liveWorkerCount(ttlMs: number): Promise<number>;
}
