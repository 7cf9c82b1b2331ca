/** Queue and job names: the one list both processes use. */
export const ASSIGNMENT_QUEUE = 'assignment';
export const WEBHOOK_QUEUE = 'webhook';
export const QUEUES = [ASSIGNMENT_QUEUE, WEBHOOK_QUEUE] as const;
export type QueueName = (typeof QUEUES)[number];

export const JOB_ASSIGN_ACTIVITY = 'assign-activity';

/** Deterministic job ids: a second relay of the same outbox row cannot make a second job. */
export const assignJobId = (activityId: string) => `assign:${activityId}`;

export interface AssignActivityJob {
  activityId: string;
  correlationId: string;
}

export const JOB_DELIVER_EVENT = 'deliver-event';
export const deliverEventJobId = (messageId: string) => `event:${messageId}`;

export interface DeliverEventJob {
  messageId: string;
  conversationId: string;
  clientApplicationId: string;
  correlationId: string;
}

/** Wakes the delivery of one client application: a scheduled retry, a reactivation, a sweep. */
export const JOB_DRAIN_CALLBACKS = 'drain-callbacks';
export const drainCallbacksJobId = (clientApplicationId: string, reason: string) => `drain:${clientApplicationId}:${reason}`;

export interface DrainCallbacksJob {
  clientApplicationId: string;
  correlationId?: string;
}
/**
 * "Capacity was freed in this queue: assign its oldest waiting activities." One job per
 * event: the outbox row carries the id, so a re-relay of that row is still one job, and a
 * new event is never swallowed by a drain that is already running.
 */
export const JOB_DRAIN_QUEUE = 'drain-queue';
export const drainJobId = (queueId: string, eventId: string) => `drain-queue:${queueId}:${eventId}`;

export interface DrainQueueJob {
  queueId: string;
  correlationId: string;
}

/**
 * Bull settings per queue. Assignment: a worker killed with -9 stops renewing its job
 * locks; after lockDuration the stalled-job check (every stalledInterval, in every live
 * worker) puts its jobs back, so they run again within seconds. The use cases are
 * idempotent, so a job that did finish before the kill is skipped on its second run.
 */
export const QUEUE_SETTINGS: Partial<Record<QueueName, { lockDuration: number; stalledInterval: number; maxStalledCount: number; retryProcessDelay: number }>> = {
  [ASSIGNMENT_QUEUE]: { lockDuration: 5000, stalledInterval: 2000, maxStalledCount: 10, retryProcessDelay: 1000 },
};
