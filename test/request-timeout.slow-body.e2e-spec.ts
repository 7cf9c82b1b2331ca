import { connect } from 'node:net';
import { clientOf, http, startDocument, uploadInPieces } from './support/client';
import { Stack } from './support/stack';
import { expectError, settledRowCounts } from './support/ws-error';

const TIMEOUT_MS = 2000;

/**
 * A client whose body has not all arrived at REQUEST_TIMEOUT_MS is answered 408 and cut off:
 * what it sends afterwards never reaches the request, which never runs, so a retry cannot start
 * the conversation a second time; it is read and dropped for a while, as after a 413, so that a
 * client still sending reads its 408.
 */
describe('a request whose body is still arriving at REQUEST_TIMEOUT_MS', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) } });
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Sends the head and the first bytes of the body, the rest after `pauseMs`; resolves with everything read until close. */
  function slowUpload(contentType: string, body: string, pauseMs: number): Promise<{ text: string; closedAfterMs: number }> {
    const { hostname, port } = new URL(stack.baseUrl);
    const path = '/system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes';
    return new Promise((resolve, reject) => {
      const began = Date.now();
      const socket = connect(Number(port), hostname);
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
      // A write after the server closed may fail: what matters is what was answered.
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ text, closedAfterMs: Date.now() - began }));
      socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`);
      setTimeout(() => {
        if (!socket.destroyed) socket.write(body.slice(20));
      }, pauseMs);
      setTimeout(() => (socket.destroy(), reject(new Error(`no close; read ${text}`))), pauseMs + 5000);
    });
  }

  const json = () => JSON.stringify(startDocument(lm, { subject: 'slow upload' }));
  const multipart = () =>
    `--b0undary\r\nContent-Disposition: form-data; name="conversation"; filename="c.json"\r\nContent-Type: application/json\r\n\r\n${json()}\r\n--b0undary--\r\n`;

  it.each([
    ['JSON', 'application/json', json],
    ['multipart', 'multipart/form-data; boundary=b0undary', multipart],
  ])('answers a %s body 408, closes the connection and never runs the request', async (_name, type, body) => {
    const before = await settledRowCounts(stack);
    const { text, closedAfterMs } = await slowUpload(type, body(), TIMEOUT_MS * 1.5);
    const [head, payload] = text.split('\r\n\r\n');
    expectError({ status: Number(head.split(' ')[1]), body: JSON.parse(payload), text } as never, 'RequestTimeout');
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    expect(closedAfterMs).toBeLessThan(TIMEOUT_MS * 2);
    // Time enough for the rest of the body, had it been read, to have started a conversation:
    // it was due TIMEOUT_MS * 1.5 after the head, and a start the api runs is answered, its rows
    // written, within TIMEOUT_MS.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS * 2.5 - closedAfterMs));
    expect(await stack.rowCounts()).toEqual(before);
    const next = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
    expect(next.status).toBe(200);
    expect(stack.api.output.filter((line) => /unhandled error/.test(line))).toEqual([]);
  });

  /**
   * Sends a start whose body trickles in, `piece` bytes every 200 ms, 1.5 times as long as the timeout,
   * reading nothing until all of it is written, as a client that sends its whole request before it
   * reads does; resolves with what it then reads, or with the error one of its writes met.
   */
  function tricklingUpload(contentType: string, body: string): Promise<{ text: string; writeError?: string }> {
    const bytes = Buffer.from(body);
    // Five pieces or so after the 408: a connection closed at once met the first with a reset.
    const piece = Math.ceil(bytes.length / ((TIMEOUT_MS * 1.5) / 200));
    const pieces: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += piece) pieces.push(bytes.subarray(at, at + piece));
    return uploadInPieces(stack, token, contentType, pieces, 200);
  }

  // The 408 comes while the body is still coming: closed at once, the connection met the client's
  // next write with a reset, and the client lost its 408 to EPIPE before it came to read it.
  it.each([
    ['JSON', 'application/json', json],
    ['multipart', 'multipart/form-data; boundary=b0undary', multipart],
  ])('lets a client still sending a %s body after the timeout read its 408, and never runs the request', async (_name, type, body) => {
    const before = await settledRowCounts(stack);
    // Padded so that the document itself, which would start a conversation, comes last.
    const { text, writeError } = await tricklingUpload(type, `${' '.repeat(4000)}\r\n${body()}`);
    expect(writeError).toBeUndefined();
    const [head, payload] = text.split('\r\n\r\n');
    expectError({ status: Number(head.split(' ')[1]), body: JSON.parse(payload), text } as never, 'RequestTimeout');
    expect(head).toMatch(/\r\nConnection: close\r\n/i);
    // The whole body was read and dropped after the 408: it must not have reached the request.
    await new Promise((r) => setTimeout(r, TIMEOUT_MS));
    expect(await stack.rowCounts()).toEqual(before);
  });
});
