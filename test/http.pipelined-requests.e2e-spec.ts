import type { Socket } from 'node:net';
import { LARGE_TRANSCRIPT_PAGES, liveAnswerMs, longTranscript, openConnection, residentMiB } from './support/api-pressure';
import { clientOf, startDocument } from './support/client';
import { getOnNewConnection, sample } from './support/operations';
import { Stack, stopProcess } from './support/stack';

interface Answer {
  status: number;
  length: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** When its last byte arrived (Date.now()). */
  at: number;
}

/** Calls `onAnswer` with each answer received on `socket`, in order, as soon as it has come whole. */
function onAnswers(socket: Socket, onAnswer: (answer: Answer) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) break;
      const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length'] ?? 0);
      if (buffered.length < end + 4 + length) break;
      buffered = buffered.subarray(end + 4 + length);
      onAnswer({ status: Number(lines[0].slice(9, 12)), length, headers, at: Date.now() });
    }
  });
}

/** The first `count` answers received on `socket`, in order; rejects when it closes before. */
function answers(socket: Socket, count: number): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const got: Answer[] = [];
    onAnswers(socket, (answer) => {
      got.push(answer);
      if (got.length === count) resolve(got);
    });
    socket.on('close', () => reject(new Error(`connection closed after ${got.length} answers of ${count}`)));
  });
}

/** Every answer received on `socket` until it closes. */
function answersUntilClosed(socket: Socket): Promise<Answer[]> {
  return new Promise((resolve) => {
    const got: Answer[] = [];
    onAnswers(socket, (answer) => got.push(answer));
    socket.on('close', () => resolve(got));
  });
}

/**
 * Requests pipelined on one connection: Node parses every one of a chunk and hands them all on at
 * once. At most PIPELINED_REQUESTS_LIMIT (4 by default) are worked on at once; the others wait,
 * and the connection is not read, until the answers before them are handed to the kernel.
 */
describe('requests pipelined on one connection', () => {
  let stack: Stack;
  let token: string;
  let page: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await Stack.start({ env: LARGE_TRANSCRIPT_PAGES });
    // A transcript page of 2 MB, far more than the kernel's buffers of a connection take.
    ({ path: page, token } = await longTranscript(stack, 100));
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await stack?.stop();
  });

  const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\n\r\n`;

  it('are not all built at once for a client that reads nothing: memory stays flat and the api answers its probes', async () => {
    const pid = stack.api.child.pid!;
    const before = residentMiB(pid);
    const socket = await openConnection(stack);
    sockets.push(socket);
    socket.pause();
    // 200 requests in one write of 50 KB: 400 MB of answers, each built from its rows.
    socket.write(request(page).repeat(200));

    const probes: number[] = [];
    let grownMiB = 0;
    for (const until = Date.now() + 4000; Date.now() < until; ) {
      probes.push(await liveAnswerMs(stack.baseUrl));
      grownMiB = Math.max(grownMiB, Math.round(residentMiB(pid) - before));
      await new Promise((r) => setTimeout(r, 200));
    }
    const measured = { slowestProbeMs: Math.max(...probes), grownMiB };
    expect(measured.slowestProbeMs < 1000 && measured.grownMiB < 100 ? 'bounded' : measured).toBe('bounded');
    socket.destroy();
  });

  it('are all answered, in order, to a client that reads them, however many it sends', async () => {
    const socket = await openConnection(stack);
    sockets.push(socket);
    // Far past the limit, over several reads of the connection: a few large answers among small ones.
    const paths = Array.from({ length: 300 }, (_, i) => (i % 50 === 7 ? page : i % 2 === 0 ? '/health/live' : '/system/ws/v19/no-such-route'));
    const received = answers(socket, paths.length);
    socket.write(paths.map(request).join(''));
    const got = await received;
    expect(got.map((a) => a.status)).toEqual(paths.map((p) => (p === page ? 200 : p === '/health/live' ? 200 : 404)));
    expect(got.filter((a, i) => paths[i] === page).every((a) => a.length > 2_000_000)).toBe(true);
    socket.destroy();
  });

  /**
   * A body over BODY_LIMIT_BYTES is refused 413 as soon as it is known to be (its Content-Length, or
   * its chunks as they come), with `Connection: close`: the rest of it is read and dropped, never
   * skipped by its framing. A request pipelined after it was read with that rest and reached the
   * application: a start ran and committed while its answer, after the one that closes the
   * connection, was never sent. It is now not begun; the client, told the connection closes, knows
   * it was not processed (RFC 9112, 9.6).
   */
  it.each([
    ['announced by its Content-Length', (body: string) => `Content-Length: ${body.length}\r\n\r\n${body}`],
    ['found as its chunks come', (body: string) => `Transfer-Encoding: chunked\r\n\r\n${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
  ])('answer those before a body refused 413 (%s) in order, then the 413 closing the connection, and begin none after it', async (_case, framed) => {
    const { lm } = await clientOf(stack);
    const startLine = `POST /system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n`;
    const start = `${startLine}${framed(JSON.stringify(startDocument(lm)))}`;
    // Over the 64 KiB default: the refusal comes while the rest of the body and what follows are still to be read.
    const tooLarge = `${startLine}${framed(JSON.stringify({ subject: 'x'.repeat(100_000) }))}`;
    const conversations = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM conversation'))[0].n);
    const before = await conversations();
    const socket = await openConnection(stack);
    sockets.push(socket);
    const received = answersUntilClosed(socket);
    socket.write(`${request('/health/live')}${start}${tooLarge}${start}${request('/health/live')}`);
    const got = await received;
    expect(got.map((a) => [a.status, a.headers.connection])).toEqual([[200, 'keep-alive'], [200, 'keep-alive'], [413, 'close']]);
    // A start begun after the refusal may still be running when the connection closes.
    await new Promise((r) => setTimeout(r, 500));
    expect(await conversations()).toBe(before + 1);
  });

  /**
   * A connection the api closes after an answer saying `Connection: close` while the client's
   * next requests wait unread in the kernel: closed at once, the kernel sent a reset instead of an
   * end, and the client lost the part of the answer it had not read yet (1.5 to 3 MB of a 4 MB
   * page, then ECONNRESET). The api now closes its sending side and drops what still comes.
   */
  it('send the whole answer that closes the connection, whatever the client pipelined after it', async () => {
    const received = await Promise.all([0, 1, 2].map(async () => {
      const socket = await openConnection(stack);
      sockets.push(socket);
      socket.pause();
      const closed = answersUntilClosed(socket);
      const reset = new Promise<boolean>((resolve) => socket.on('error', () => resolve(true)).on('close', () => resolve(false)));
      // 2 MB of requests after it: more than Node reads while the answer before them is unsent.
      socket.write(`${request(page).replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n')}${request('/health/live').repeat(20_000)}`);
      await new Promise((r) => setTimeout(r, 1000));
      socket.resume();
      const got = await closed;
      return { answers: got.map((a) => [a.status, a.headers.connection, a.length > 2_000_000]), reset: await reset };
    }));
    expect(received).toEqual(Array(3).fill({ answers: [[200, 'close', true]], reset: false }));
  }, 30000);

  it('send the whole answer that closes the connection to a client reading it at once, with more requests after it than Node reads in one chunk', async () => {
    const received = [];
    for (let i = 0; i < 3; i++) {
      const socket = await openConnection(stack);
      sockets.push(socket);
      const closed = answersUntilClosed(socket);
      const reset = new Promise<boolean>((resolve) => socket.on('error', () => resolve(true)).on('close', () => resolve(false)));
      // The API description (over 1 MB, written at once), then 80 KB of requests, more than one
      // chunk of Node's: its parser refuses what follows a request asking to close, which came
      // once the answer was handed to the kernel, before Node's close after it.
      socket.write(`GET /system/docs-json HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n${'GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n'.repeat(2000)}`);
      const got = await closed;
      received.push({ answers: got.map((a) => [a.status, a.headers.connection, a.length > 1_000_000]), reset: await reset });
    }
    expect(received).toEqual(Array(3).fill({ answers: [[200, 'close', true]], reset: false }));
  }, 30000);

  it('leave a keep-alive connection sending one request at a time, or a few pipelined, as it was', async () => {
    const socket = await openConnection(stack);
    sockets.push(socket);
    for (let i = 0; i < 3; i++) {
      const one = answers(socket, 1);
      socket.write(request('/health/live'));
      expect((await one).map((a) => a.status)).toEqual([200]);
      socket.removeAllListeners('data');
    }
    const three = answers(socket, 3);
    socket.write(request('/health/live').repeat(3));
    expect((await three).map((a) => a.status)).toEqual([200, 200, 200]);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });
});

describe('one request of a connection worked on at a time', () => {
  const HEADERS_TIMEOUT_MS = 1000;
  let stack: Stack;
  let token: string;
  let lm: string;
  let page: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { PIPELINED_REQUESTS_LIMIT: '1', HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), ...LARGE_TRANSCRIPT_PAGES } });
    ({ token, lm } = await clientOf(stack));
    // 4 MB: three of them are more than the kernel's buffers of a connection take.
    ({ path: page } = await longTranscript(stack, 200));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /**
   * Bytes that cannot be read as a request, after requests that wait their turn: the refusal is
   * answered after the last of them, as a client reads answers in the order of its requests.
   * Answered after the one being written, it was taken for the next one's answer, which was lost
   * though that request ran (a start committed while its client heard 400-150).
   */
  describe('a pipeline with unreadable bytes after requests that wait their turn', () => {
    const startRequest = (extraHeaders = '') => {
      const body = JSON.stringify(startDocument(lm));
      return `POST /system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes HTTP/1.1\r\nHost: api\r\n`
        + `Authorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
    };
    const conversations = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM conversation'))[0].n);

    it.each([
      ['a line that is not a request', (start: string) => `${start}GARBAGE LINE\r\n\r\n${startRequest()}`],
      ['a request after one that closes the connection', () => `${startRequest('Connection: close\r\n')}${startRequest()}`],
    ])('answers the waiting start before refusing %s', async (_case, rest) => {
      const before = await conversations();
      const socket = await openConnection(stack);
      const received = answers(socket, 2);
      socket.write(`GET ${page} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\n\r\n${rest(startRequest())}`);
      // The transcript page, then the start's own answer (a refusal may follow in the same read).
      expect((await received).slice(0, 2).map((a) => a.status)).toEqual([200, 200]);
      // The start answered ran once; nothing after the unreadable bytes did.
      expect(await conversations()).toBe(before + 1);
      socket.destroy();
    });
  });


  /**
   * Node times a request's headers from their first byte (HEADERS_TIMEOUT_MS). Bytes of a request
   * read in the same chunk as requests that then waited their turn arrived while the connection was
   * held: the rest of its headers waited unread, and the time the api held the connection is not the
   * client's to answer for. A client really slow with its headers is still refused 408.
   */
  describe('a request begun while the connection is held by the limit', () => {
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\n\r\n`;
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

    /** Three pages and a request that wait their turn, and the first part of a last one's headers, not read for `heldMs`. */
    async function heldWithPartialHeaders(heldMs: number): Promise<{ socket: Socket; rest: string }> {
      const socket = await openConnection(stack);
      socket.pause();
      const last = request('/health/live');
      socket.write(`${request(page).repeat(3)}${request('/health/live')}${last.slice(0, 20)}`);
      await pause(heldMs);
      return { socket, rest: last.slice(20) };
    }

    it('has its headers timed from when the connection is read again', async () => {
      const { socket, rest } = await heldWithPartialHeaders(2.5 * HEADERS_TIMEOUT_MS);
      const received = answers(socket, 5);
      socket.resume();
      // Half the timeout after reading resumes: within it, though the first bytes are 3 s old.
      await pause(HEADERS_TIMEOUT_MS / 2);
      socket.write(rest);
      expect((await received).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      socket.destroy();
    });

    it('refuses headers still incomplete HEADERS_TIMEOUT_MS after the connection is read again', async () => {
      const { socket } = await heldWithPartialHeaders(2.5 * HEADERS_TIMEOUT_MS);
      const received = answers(socket, 5);
      socket.resume();
      const got = await received;
      expect(got.map((a) => a.status)).toEqual([200, 200, 200, 200, 408]);
      // Timed from when the api read the connection again, as it sent the last answer before it
      // (refused at once, 0 ms, when timed from the first bytes). The client reads that answer
      // some time after the api handed it on (several MB still buffered), hence the wide bounds.
      const afterLastAnswer = got[4].at - got[3].at;
      expect(afterLastAnswer > 0.5 * HEADERS_TIMEOUT_MS && afterLastAnswer < 3 * HEADERS_TIMEOUT_MS ? 'timed from then' : afterLastAnswer).toBe('timed from then');
      socket.destroy();
    });
  });
});

/**
 * SIGTERM while a client that reads nothing has requests pipelined on one connection: a large answer
 * ended but not yet sent, requests behind it worked on or waiting their turn. Each request read
 * whole is answered: those under way (a start that commits included) with their own answer, those
 * not begun refused 503 with Retry-After, in order, the last answer alone with `Connection: close`,
 * and the api exits 0 once they are sent.
 */
describe('a connection with pipelined requests under way when the api stops', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let page: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: LARGE_TRANSCRIPT_PAGES });
    ({ token, lm } = await clientOf(stack));
    // 4 MB: more than the kernel's buffers of a connection take, so its answer is ended long before it is sent.
    ({ path: page } = await longTranscript(stack, 200));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${token}\r\n\r\n`;
  const startRequest = (accept = 'application/json') => {
    const body = JSON.stringify(startDocument(lm));
    return `POST /system/ws/v19/clientapplications/messaging/conversation/start?anonymousCustomer=yes HTTP/1.1\r\nHost: api\r\n`
      + `Authorization: Bearer ${token}\r\nAccept: ${accept}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  };
  const conversations = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM conversation'))[0].n);

  /** Sends `requests` in one write on a fresh api, reads nothing for a second, stops the api and then reads everything. */
  async function stopWhilePipelined(env: Record<string, string>, requests: string, readSlowly = false) {
    await stopProcess(stack.api, 'SIGTERM');
    const api = await stack.startApi(env);
    const before = await conversations();
    const socket = await openConnection(stack);
    socket.pause();
    const received = answersUntilClosed(socket);
    const reset = new Promise<boolean>((resolve) => socket.on('error', () => resolve(true)).on('close', () => resolve(false)));
    socket.write(requests);
    await new Promise((r) => setTimeout(r, 1000));
    const exited = new Promise<{ code: number | null }>((resolve) => api.child.once('exit', (code) => resolve({ code })));
    api.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // A chunk (up to 64 KB) every 50 ms: the last answer, handed to the kernel, is read over seconds.
    if (readSlowly) socket.on('data', () => (socket.pause(), setTimeout(() => socket.resume(), 50)));
    socket.resume();
    const got = await received;
    const exit = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15000))]);
    socket.destroy();
    return { got, exit, committed: (await conversations()) - before, reset: await reset };
  }

  it('refuses the requests still waiting their turn 503, after the answer being sent (limit 1)', async () => {
    const { got, exit, committed } = await stopWhilePipelined({ PIPELINED_REQUESTS_LIMIT: '1' }, `${get(page).repeat(3)}${startRequest()}${startRequest('application/xml')}`);
    expect(got.map((a) => a.status)).toEqual([200, 503, 503, 503, 503]);
    expect(got[0].length).toBeGreaterThan(4_000_000);
    expect(got.slice(1).map((a) => a.headers['retry-after'])).toEqual(['5', '5', '5', '5']);
    expect(got.map((a) => a.headers['content-type']?.split(';')[0])).toEqual(['application/json', 'application/json', 'application/json', 'application/json', 'application/xml']);
    // Only the last answer closes the connection: one that said so earlier would be the last sent.
    expect(got.map((a) => a.headers.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive', 'keep-alive', 'close']);
    expect(committed).toBe(0);
    expect(exit).toEqual({ code: 0 });
  }, 30000);

  /**
   * The last answer closes the connection while the client's next requests wait unread: Node's
   * closing of it lingers, its sending side ended, reading and dropping what still comes, or the
   * kernel would reset the connection; the stop's hold on reading must not keep it from that.
   */
  it('drops the requests the client sent after those it read, rather than resetting the connection (limit 1)', async () => {
    // 2 MB of requests after the page: Node reads a chunk of them, which wait their turn; the rest stays in the kernel.
    const { got, exit, committed, reset } = await stopWhilePipelined({ PIPELINED_REQUESTS_LIMIT: '1' }, `${get(page)}${get('/health/live').repeat(20_000)}`, true);
    const first = got[0] && { status: got[0].status, whole: got[0].length > 4_000_000 };
    const after = { statuses: [...new Set(got.slice(1).map((a) => a.status))], last: got[got.length - 1]?.headers.connection };
    // Before: the connection reset 2 s after the last answer was handed to the kernel, the page not yet read whole lost.
    expect({ first, after, reset, committed, exit }).toEqual({ first: { status: 200, whole: true }, after: { statuses: [503], last: 'close' }, reset: false, committed: 0, exit: { code: 0 } });
  }, 30000);

  it('answers the requests worked on behind an answer not yet sent, the starts among them committed once (limit 4)', async () => {
    const { got, exit, committed } = await stopWhilePipelined({}, `${get(page)}${startRequest().repeat(3)}`);
    expect(got.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    // Written before the signal, as keep-alive answers: the connection is closed once the last is sent (answersUntilClosed).
    expect(got.map((a) => a.headers.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive', 'keep-alive']);
    expect(committed).toBe(3);
    expect(exit).toEqual({ code: 0 });
  }, 30000);
});

/**
 * REQUEST_TIMEOUT_MS runs from when a request is begun, not while it waits its turn: behind answers
 * its client has not read yet, the wait is the client's pace, and a 503 would tell a client reading
 * slowly that the service is unavailable.
 */
describe('a request waiting its turn behind answers its client has not read', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ workers: 0, env: { PIPELINED_REQUESTS_LIMIT: '1', REQUEST_TIMEOUT_MS: '1000' } });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('is answered, not refused 503, though it waited longer than REQUEST_TIMEOUT_MS', async () => {
    const socket = await openConnection(stack);
    socket.pause();
    const received = answers(socket, 5);
    // The API description, 1.3 MB, four times: more than the kernel's buffers of a connection take.
    socket.write(`${'GET /system/docs-json HTTP/1.1\r\nHost: api\r\n\r\n'.repeat(4)}GET /health/live HTTP/1.1\r\nHost: api\r\n\r\n`);
    await new Promise((r) => setTimeout(r, 1500));
    socket.resume();
    expect((await received).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    socket.destroy();
    // It did wait that long, and its latency, timed from its arrival, counts the wait.
    const metrics = await getOnNewConnection(`${stack.baseUrl}/metrics`);
    const seconds = sample(metrics.text, 'http_request_duration_seconds_sum', { method: 'GET', route: '/health/live', status: '200' });
    expect(seconds !== undefined && seconds > 1 ? 'longer than REQUEST_TIMEOUT_MS' : seconds).toBe('longer than REQUEST_TIMEOUT_MS');
  });
});
