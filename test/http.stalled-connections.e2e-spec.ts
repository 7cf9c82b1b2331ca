import { connect } from 'node:net';
import { LARGE_TRANSCRIPT_PAGES, longTranscript } from './support/api-pressure';
import { Stack } from './support/stack';

/** Nothing moving for 4 s closes a connection; a transcript page of 12 MB starts well within 2 s. */
const TIMEOUTS = { REQUEST_TIMEOUT_MS: '2000', HEADERS_TIMEOUT_MS: '1000', ...LARGE_TRANSCRIPT_PAGES };
const STALLED_MS = 4000;
/** The api goes on writing the page for a few seconds after its first bytes; then nothing moves. */
const WRITING_MS = 6000;

/**
 * An answer the client does not read stays in the api's memory, the part the kernel has not
 * taken, for as long as the connection is open: nothing moving on it for twice the longer of
 * REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS closes it.
 */
describe('a connection whose client does not read its answer', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: TIMEOUTS });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is closed once nothing has moved on it for that long, and a client reading at once gets the whole answer', async () => {
    // A transcript page of 12 MB: far more than the kernel's buffers of a connection take.
    const { path, token } = await longTranscript(stack, 600);

    /** Reads the answer, stopping for `pauseMs` once its first bytes came; what was received when the connection ended. */
    const read = (pauseMs: number) =>
      new Promise<{ received: number; length: number }>((resolve, reject) => {
        const { hostname, port } = new URL(stack.baseUrl);
        const socket = connect(Number(port), hostname, () => {
          socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
        });
        let head: string | undefined;
        let received = 0;
        let length = NaN;
        socket.on('data', (c: Buffer) => {
          if (head === undefined) {
            head = c.subarray(0, c.indexOf('\r\n\r\n')).toString();
            length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
            received -= head.length + 4;
            if (pauseMs > 0) {
              socket.pause();
              setTimeout(() => socket.resume(), pauseMs);
            }
          }
          received += c.length;
          // All of it read: the connection would stay open for a next request.
          if (received === length) socket.destroy();
        });
        socket.on('error', reject);
        socket.on('close', () => resolve({ received, length }));
      });

    const atOnce = await read(0);
    expect(atOnce.received).toBe(atOnce.length);
    expect(atOnce.length).toBeGreaterThan(10_000_000);
    const stalled = await read(WRITING_MS + STALLED_MS);
    expect(stalled.received).toBeLessThan(stalled.length);
  });
});
