import { XMLParser } from 'fast-xml-parser';
import { callbackMessage, type PendingEvent } from '../domain/callback-message';
import { renderCallbackBody } from './callback-body';

const event = (n: number, extra: Partial<PendingEvent> = {}): PendingEvent => ({
  seq: String(n),
  messageId: `m-${n}`,
  conversationId: 'c-1',
  correlationId: 'r-1',
  type: 'text/html',
  content: '<p>Fish & chips</p>',
  sender: { type: 'user', agentId: '7' },
  occurredAt: new Date(1700000000123 + n),
  ...extra,
});

describe('callback body', () => {
  const names = (id: string) => (id === '7' ? 'Alice Agent' : '');

  it('is {"message":[...]} in JSON with the contract fields', () => {
    const { body, contentType } = renderCallbackBody([callbackMessage(event(1), names), callbackMessage(event(2, { type: 'complete', content: null, sender: { type: 'system' } }), names)], 'json');
    expect(contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(body)).toEqual({
      message: [
        { id: 'm-1', conversation: { id: 'c-1' }, type: { value: 'text/html' }, content: '<p>Fish & chips</p>', sender: { type: 'user', user: { id: '7', name: 'Alice Agent' } }, timeStamp: 1700000000124 },
        { id: 'm-2', conversation: { id: 'c-1' }, type: { value: 'complete' }, sender: { type: 'system' }, timeStamp: 1700000000125 },
      ],
    });
  });

  it('is the same under <messages> with <message> repeated in XML, escaped', () => {
    const { body, contentType } = renderCallbackBody([callbackMessage(event(1), names), callbackMessage(event(2), names)], 'xml');
    expect(contentType).toBe('application/xml; charset=utf-8');
    expect(body).toContain('<content>&lt;p&gt;Fish &amp; chips&lt;/p&gt;</content>');
    const doc = new XMLParser({ parseTagValue: false }).parse(body) as { messages: { message: any[] } };
    expect(doc.messages.message.map((m) => [m.id, m.content, m.sender.user.name, m.timeStamp])).toEqual([
      ['m-1', '<p>Fish & chips</p>', 'Alice Agent', '1700000000124'],
      ['m-2', '<p>Fish & chips</p>', 'Alice Agent', '1700000000125'],
    ]);
  });

  it('refuses more than 1000 messages in one request', () => {
    const many = Array.from({ length: 1001 }, (_, i) => callbackMessage(event(i), names));
    expect(() => renderCallbackBody(many, 'json')).toThrow(/at most 1000/);
  });
});
