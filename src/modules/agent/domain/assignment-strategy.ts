/**
 * How an available agent is chosen among those of a queue with spare capacity.
 * Each strategy is an ordering; the repository applies it in the claiming query.
 */
export const ASSIGNMENT_STRATEGIES = ['least_loaded', 'round_robin'] as const;
export type AssignmentStrategy = (typeof ASSIGNMENT_STRATEGIES)[number];
