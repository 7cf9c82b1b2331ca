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
