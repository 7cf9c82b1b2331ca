import { createHash } from 'node:crypto';
import { requestFingerprint } from './request-fingerprint';

const START = '/system/ws/v19/clientapplications/messaging/conversation/start';
const COMPLETE = '/system/ws/v19/agent/chats/:conversationId/complete';
const body = { a: 1 };

describe('requestFingerprint', () => {
  it('is the same for the path spelled in another case or with a trailing slash, as the router reads it', () => {
    const asDeclared = requestFingerprint({ method: 'POST', path: START, query: {}, body, params: {}, route: { path: START } });
    for (const path of [START.toUpperCase(), `${START}/`]) {
      expect(requestFingerprint({ method: 'POST', path, query: {}, body, params: {}, route: { path: START } })).toEqual(asDeclared);
    }
  });

  it('keeps the parameters the router read as sent, so two ids are two requests', () => {
    const of = (id: string, path: string) => requestFingerprint({ method: 'POST', path, query: {}, body, params: { conversationId: id }, route: { path: COMPLETE } });
    expect(of('ab-1', '/system/ws/v19/agent/chats/ab-1/complete')).toEqual(of('ab-1', '/SYSTEM/ws/v19/agent/CHATS/ab-1/complete/'));
    expect(of('ab-1', '/system/ws/v19/agent/chats/ab-1/complete')).not.toEqual(of('AB-1', '/system/ws/v19/agent/chats/AB-1/complete'));
  });

  it('hashes a request spelled as declared as the path alone did, so keys recorded before stay valid', () => {
    const path = '/system/ws/v19/agent/chats/ab-1/complete';
    const before = createHash('sha256').update(JSON.stringify(['POST', path, { x: '1' }, body])).digest();
    expect(requestFingerprint({ method: 'POST', path, query: { x: '1' }, body, params: { conversationId: 'ab-1' }, route: { path: COMPLETE } })).toEqual(before);
  });
});
