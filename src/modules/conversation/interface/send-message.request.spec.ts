import 'reflect-metadata';
import { AppError } from '../../../platform/errors/app-error';
import { validateBody } from '../../../platform/http/validate-body';
import { SendMessageCommand } from '../domain/send-message.command';
import { SendMessageRequest } from './send-message.request';

const id = '0b0e5a1c-3a53-4c1e-9a55-1f4a2f0d9b2e';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('SendMessageRequest', () => {
  it('says a value of the wrong type is of the wrong type', () => {
    expect(refusal(() => validateBody(SendMessageRequest, { conversation: { id: 5 }, type: { value: 'text/plain' } }))).toBe('conversation.id: id must be a string');
    expect(refusal(() => validateBody(SendMessageRequest, { conversation: { id }, type: { value: null } }))).toBe('type.value: value must be a string');
    expect(refusal(() => validateBody(SendMessageRequest, { conversation: { id }, type: { value: 'text/plain' }, content: ['a'] }))).toBe('content: content must be text');
  });

  it('leaves the length of a text to the command, which words it as documented (10000 characters)', () => {
    const body = validateBody(SendMessageRequest, { conversation: { id }, type: { value: 'text/plain' }, content: 'x'.repeat(25000) });
    expect(refusal(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: body.content as string }))).toBe('content: must be at most 10000 characters');
  });
});
