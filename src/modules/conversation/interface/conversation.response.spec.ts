import { toXml } from '../../../platform/http/xml-codec';
import { conversationDocument } from './conversation.response';

const started = {
  conversationId: 'fd9d9503-00da-4bf0-ba3d-f262b66b759d',
  activityId: '5000',
  caseId: '1200',
  customerId: '1000',
  entryPointId: '1001',
  state: 'waiting' as const,
  createdAt: new Date(Date.UTC(2026, 10, 26, 9, 10, 45, 352)),
};

describe('conversationDocument', () => {
  it('answers a start as docs/start-conversation.md shows it: members in that order, ids as strings, the date in ISO-8601 UTC with milliseconds', () => {
    const base = '/system/ws/v19/clientapplications/messaging';
    expect(JSON.stringify(conversationDocument(started, '/system'))).toBe(
      JSON.stringify({
        conversation: {
          id: started.conversationId,
          state: 'waiting',
          entryPoint: { id: '1001' },
          activity: { id: '5000' },
          case: { id: '1200' },
          customer: { id: '1000' },
          createdDate: { date: '2026-11-26T09:10:45.352Z' },
          link: [
            { rel: 'self', href: `${base}/conversation/${started.conversationId}` },
            { rel: 'sendmessage', href: `${base}/sendmessage` },
          ],
        },
      }),
    );
  });

  it('leaves customer out of an anonymous start, in XML too, where link repeats', () => {
    const { conversation } = conversationDocument({ ...started, customerId: null }, '/system');
    expect(conversation).not.toHaveProperty('customer');
    const xml = toXml('conversation', conversation);
    expect(xml).not.toContain('<customer>');
    expect(xml).toContain('<case><id>1200</id></case><createdDate><date>2026-11-26T09:10:45.352Z</date></createdDate><link><rel>self</rel>');
  });
});
