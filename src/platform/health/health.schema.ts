import type { SchemaObject } from '@nestjs/swagger';

const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['up', 'down'] },
      message: {
        type: 'string',
        description:
          'Why a check is down. For mysql and redis one of timeout, refused, unreachable, connection lost, access denied, failed (the driver message, which names the host, is logged instead); for the heartbeat checks a sentence.',
      },
    },
  },
};

/** The report @nestjs/terminus answers, for the OpenAPI document. */
export const HEALTH_REPORT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'details'],
  properties: { status: { type: 'string', enum: ['ok', 'error', 'shutting_down'] }, info: CHECKS, error: CHECKS, details: CHECKS },
};

export const READY_EXAMPLE = {
  status: 'ok',
  info: { mysql: { status: 'up' }, redis: { status: 'up' }, assignmentWorkers: { status: 'up', live: 2 } },
  error: {},
  details: { mysql: { status: 'up' }, redis: { status: 'up' }, assignmentWorkers: { status: 'up', live: 2 } },
};

export const NOT_READY_EXAMPLE = {
  status: 'error',
  info: { mysql: { status: 'up' }, redis: { status: 'up' } },
  error: { assignmentWorkers: { status: 'down', message: 'no assignment worker has sent a heartbeat within 10000 ms' } },
  details: {
    mysql: { status: 'up' },
    redis: { status: 'up' },
    assignmentWorkers: { status: 'down', message: 'no assignment worker has sent a heartbeat within 10000 ms' },
  },
};
