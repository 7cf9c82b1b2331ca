import { AppError } from '../../../platform/errors/app-error';
import { MAX_MESSAGE_LENGTH, SendMessageCommand } from './send-message.command';

const id = '0b0e5a1c-3a53-4c1e-9a55-1f4a2f0d9b2e';

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as AppError).details;
  }
  return undefined;
}

describe('SendMessageCommand', () => {
  it('lets customers send text, typing and complete, and agents text, HTML and typing', () => {
    expect(SendMessageCommand.forCustomer({ conversationId: id, type: 'complete' }).type).toBe('complete');
    expect(SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: 'hi' }).content).toBe('hi');
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/html', content: '<b>x</b>' }))).toBe('type.value');
    expect(SendMessageCommand.forAgent({ conversationId: id, type: 'text/html', content: '<b>x</b>' }).type).toBe('text/html');
    expect(fieldOf(() => SendMessageCommand.forAgent({ conversationId: id, type: 'complete' }))).toBe('type.value');
    expect(SendMessageCommand.forAgent({ conversationId: id, type: 'startTyping', content: 'ignored' }).content).toBeUndefined();
  });

  it('wants text of 1 to 10000 characters and a conversation UUID', () => {
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: '  ' }))).toBe('content');
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) }))).toBe('content');
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: 'abc', type: 'text/plain', content: 'x' }))).toBe('conversation.id');
    expect(SendMessageCommand.forCustomer({ conversationId: id.toUpperCase(), type: 'endTyping' }).conversationId).toBe(id);
  });

  it.each(['bell\u0007', 'nul\u0000', 'esc\u001b[2J', 'del\u007f', 'nel\u0085', 'csi\u009b'])('refuses a control character other than tab and line breaks: %j', (content) => {
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content }))).toBe('content');
    expect(fieldOf(() => SendMessageCommand.forAgent({ conversationId: id, type: 'text/html', content }))).toBe('content');
  });

  it.each(['odd \uFFFE', 'odd \uFFFF'])('refuses a character no XML document can carry: %j', (content) => {
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content }))).toBe('content');
    expect(fieldOf(() => SendMessageCommand.forAgent({ conversationId: id, type: 'text/html', content }))).toBe('content');
  });

  it('keeps tabs and line breaks', () => {
    expect(SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: 'a\tb\r\nc\n' }).content).toBe('a\tb\r\nc\n');
  });

  it('counts characters, not UTF-16 units: 10000 emoji are 10000 characters, as the length of a subject is counted', () => {
    const emoji = '\u{1F600}';
    expect(SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: emoji.repeat(MAX_MESSAGE_LENGTH) }).content).toBe(emoji.repeat(MAX_MESSAGE_LENGTH));
    expect(SendMessageCommand.forAgent({ conversationId: id, type: 'text/html', content: emoji.repeat(MAX_MESSAGE_LENGTH) }).content).toHaveLength(2 * MAX_MESSAGE_LENGTH);
    expect(fieldOf(() => SendMessageCommand.forCustomer({ conversationId: id, type: 'text/plain', content: emoji.repeat(MAX_MESSAGE_LENGTH + 1) }))).toBe('content');
  });
});
