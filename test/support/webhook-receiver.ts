import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

export interface ReceivedCallback {
  receivedAt: number;
  /** The path the callback was sent to (the URL's path and query). */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answers (after the planned delay, if the sender still waits). */
  status: number;
  /** Whether the answer reached a sender still waiting for it (not after its timeout). */
  answered: boolean;
  /** `message` elements of the body, JSON or XML. */
  messages: any[];
}

export interface Answer {
  status: number;
  delayMs?: number;
  /** Extra response headers, e.g. Retry-After; a function is called when the answer is sent. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** The status line and headers, then a body that never ends (a stalled proxy, a stuck stream). */
  endlessBody?: boolean;
  /** The answer waits for this too (see `gate`): a request as slow as the test needs, with no delay to race. */
  until?: Promise<unknown>;
}

/** Opened by the test when it is ready: an answer planned with `until: gate.opened` is held until then. */
export interface Gate {
  opened: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export type CallbackAuth = { type: 'basic'; username: string; password: string } | { type: 'bearer' };

/**
 * A real HTTP receiver on 127.0.0.1 for callback tests: records every callback POST with
 * its raw body and headers, answers as the test plans it (status, delay), can demand
 * Basic or Bearer authentication, and serves an OAuth2 client-credentials token endpoint.
 */
export class WebhookReceiver {
  readonly callbacks: ReceivedCallback[] = [];
  readonly tokenRequests: { headers: IncomingHttpHeaders; body: string }[] = [];
  /** Answers for the next callbacks, used in order; afterwards `defaultAnswer`. */
  readonly plan: Answer[] = [];
  defaultAnswer: Answer = { status: 200 };
  auth: CallbackAuth | undefined;
  /** The most messages one request may carry; a larger one is answered 413 (a body size limit). */
  maxMessages: number | undefined;
  /** A message the receiver refuses for what it says: a request carrying one is answered 400. */
  refuses: ((message: any) => boolean) | undefined;
  oauthClient = { id: 'hook-client', secret: 'hook-secret', expiresIn: 3600 };
  /** The most requests one path (one application's URL) had under way at the same moment. */
  readonly maxInFlight = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly validTokens = new Set<string>();
  private tokenCounter = 0;
  private server!: Server;
  port = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Every message the sender got a 2xx answer for, in arrival order. */
  delivered(conversationId?: string): any[] {
    return this.callbacks
      .filter((c) => c.answered && c.status >= 200 && c.status < 300)
      .flatMap((c) => c.messages)
      .filter((m) => conversationId === undefined || m.conversation.id === conversationId);
  }

  /** Every request that carried a message of the conversation, answered or not, in arrival order. */
  callbacksOf(conversationId: string): ReceivedCallback[] {
    return this.callbacks.filter((c) => c.messages.some((m) => m.conversation.id === conversationId));
  }

  /** The messages delivered for a conversation, once its `complete` (always the last) has arrived. */
  deliveredUntilComplete(conversationId: string): Promise<any[]> {
    return this.waitFor(() => {
      const got = this.delivered(conversationId);
      return got.some((m) => m.type.value === 'complete') && got;
    });
  }

  revokeTokens(): void {
    this.validTokens.clear();
  }

  async waitFor<T>(fn: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const value = fn();
      if (value) return value;
      if (Date.now() - started > timeoutMs) throw new Error(`receiver: condition not met within ${timeoutMs} ms; got ${JSON.stringify(this.callbacks.map((c) => ({ status: c.status, messages: c.messages.map((m) => m.type.value) })))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  listen(port: number): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (req.url === '/token') return this.token(req.headers, body, res);
        if (!this.authorized(req.headers.authorization)) {
          this.callbacks.push({ receivedAt: Date.now(), path: req.url ?? '', headers: req.headers, body, status: 401, answered: true, messages: messagesOf(req.headers, body) });
          res.writeHead(401).end();
          return;
        }
        const messages = messagesOf(req.headers, body);
        if (this.maxMessages !== undefined && messages.length > this.maxMessages) {
          this.callbacks.push({ receivedAt: Date.now(), path: req.url ?? '', headers: req.headers, body, status: 413, answered: true, messages });
          res.writeHead(413).end();
          return;
        }
        if (this.refuses && messages.some(this.refuses)) {
          this.callbacks.push({ receivedAt: Date.now(), path: req.url ?? '', headers: req.headers, body, status: 400, answered: true, messages });
          res.writeHead(400).end();
          return;
        }
        const answer = this.plan.shift() ?? this.defaultAnswer;
        this.countInFlight(req.url ?? '', res);
        // Recorded on arrival, so a test can act while the answer is still held back.
        const record: ReceivedCallback = { receivedAt: Date.now(), path: req.url ?? '', headers: req.headers, body, status: answer.status, answered: false, messages };
        this.callbacks.push(record);
        const delayed = new Promise((resolve) => setTimeout(resolve, answer.delayMs ?? 0));
        void Promise.all([delayed, answer.until]).then(() => {
          if (res.destroyed) return;
          const extra = typeof answer.headers === 'function' ? answer.headers() : answer.headers;
          res.writeHead(answer.status, { 'content-type': 'text/plain', ...extra });
          if (answer.endlessBody) res.write('ok');
          else res.end('ok');
          record.answered = true;
        });
      });
    });
    return new Promise((resolve) => this.server.listen(port, '127.0.0.1', () => {
      this.port = (this.server.address() as AddressInfo).port;
      resolve();
    }));
  }

  /** Until the answer has gone or the sender has dropped the connection. */
  private countInFlight(path: string, res: import('node:http').ServerResponse): void {
    const now = (this.inFlight.get(path) ?? 0) + 1;
    this.inFlight.set(path, now);
    this.maxInFlight.set(path, Math.max(now, this.maxInFlight.get(path) ?? 0));
    res.once('close', () => this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1));
  }

  private authorized(header: string | undefined): boolean {
    if (!this.auth) return true;
    if (this.auth.type === 'basic') return header === `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    return header !== undefined && header.startsWith('Bearer ') && this.validTokens.has(header.slice(7));
  }

  private token(headers: IncomingHttpHeaders, body: string, res: import('node:http').ServerResponse): void {
    this.tokenRequests.push({ headers, body });
    const expected = `Basic ${Buffer.from(`${this.oauthClient.id}:${this.oauthClient.secret}`).toString('base64')}`;
    if (headers.authorization !== expected || new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      return;
    }
    const token = `token-${++this.tokenCounter}`;
    this.validTokens.add(token);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: this.oauthClient.expiresIn }));
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// As a receiver would read XML callbacks: entities decoded, `message` always a list.
const xml = new XMLParser({ parseTagValue: false, isArray: (_name, jPath) => String(jPath) === 'messages.message' });

function messagesOf(headers: IncomingHttpHeaders, body: string): any[] {
  try {
    if ((headers['content-type'] ?? '').includes('xml')) return (xml.parse(body) as { messages?: { message?: any[] } }).messages?.message ?? [];
    return (JSON.parse(body) as { message: any[] }).message;
  } catch {
    return [];
  }
}
