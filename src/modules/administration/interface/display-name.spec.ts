import 'reflect-metadata';
import { AppError } from '../../../platform/errors/app-error';
import { validateBody } from '../../../platform/http/validate-body';
import { CreateAgentRequest, UpdateAgentRequest } from './agent.request';
import { CreateClientApplicationRequest, UpdateClientApplicationRequest } from './client-application.request';
import { CreateDepartmentRequest, UpdateDepartmentRequest } from './department.request';
import { CreateEntryPointRequest, UpdateEntryPointRequest } from './entry-point.request';
import { CreateQueueRequest, UpdateQueueRequest } from './queue.request';

const agent = { username: 'dave', password: 'a-long-password', maxChats: 3, queueIds: ['1'] };
const named: [string, new () => object, string, Record<string, unknown>][] = [
  ['department', CreateDepartmentRequest, 'name', {}],
  ['department update', UpdateDepartmentRequest, 'name', {}],
  ['queue', CreateQueueRequest, 'name', { departmentId: '1' }],
  ['queue update', UpdateQueueRequest, 'name', {}],
  ['entry point', CreateEntryPointRequest, 'name', { departmentId: '1', queueId: '1' }],
  ['entry point update', UpdateEntryPointRequest, 'name', {}],
  ['client application', CreateClientApplicationRequest, 'name', { type: 'chat', entryPointIds: [] }],
  ['client application update', UpdateClientApplicationRequest, 'name', {}],
  ['agent', CreateAgentRequest, 'displayName', agent],
  ['agent update', UpdateAgentRequest, 'displayName', {}],
];

function refusal(type: new () => object, body: Record<string, unknown>): AppError | undefined {
  try {
    validateBody(type, body);
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

describe('administration names', () => {
  describe.each(named)('%s', (_, type, field, rest) => {
    it.each(['Sales', 'Café ☕ 😀', 'x'.repeat(100), ' padded ', 'a < b', 'replacement \uFFFD', 'private \uE000', 'plane 16 \u{10FFFD}'])('takes %p', (name) => {
      expect(refusal(type, { ...rest, [field]: name })).toBeUndefined();
    });

    it.each(['', ' ', '\t', '\u00a0\u3000', 'a\u0000b', 'bell\u0007', 'two\nlines', 'del\u007f', 'nel\u0085', 'non\uFFFEcharacter', 'non\uFFFFcharacter', 'x'.repeat(101)])('refuses %p with 400-112 naming the field', (name) => {
      const error = refusal(type, { ...rest, [field]: name });
      expect([error?.kind, error?.details]).toEqual(['BodyInvalid', field]);
    });
  });
});
