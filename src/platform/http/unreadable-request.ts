import { EventEmitter } from 'node:events';
import { IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors/app-error';
import { statusOf } from '../errors/ws-error';
import type { ErrorKind } from '../errors/error-catalogue';
import type { Localizer } from '../i18n/localizer';
import { requestIdOf } from '../logging/logging.module';
import { negotiate, negotiatedHeaders, pathOf } from './negotiation.middleware';
import { closesConnection } from './closing-answer';
import { lastUnsentAnswer, postponedHeadersTimeout } from './pipelined-requests';
import { isLingering, stopReading } from './read-body';
import { transferCodingRefusal } from './transfer-coding';
import { answerTypeOf, type RequestContext } from './wire-format';
import { wsErrorBody } from './ws-error.renderer';
import { toXml } from './xml-codec';

/** What Node's HTTP parser refuses before there is a request, and the WSError each is answered with. */
const REFUSALS: Readonly<Record<string, { kind: ErrorKind; message: string }>> = {
  HPE_HEADER_OVERFLOW: { kind: 'HeaderTooLarge', message: 'request headers exceed the size limit' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { kind: 'BodyTooLarge', message: 'chunk extensions exceed the size limit' },
  ERR_HTTP_REQUEST_TIMEOUT: { kind: 'RequestTimeout', message: 'the request was not received in time' },
};
const MALFORMED = { kind: 'InvalidRequest', message: 'the request is not valid HTTP/1.1' } as const;

/** The method and the path of a request Node could not read, in its request line and its metric labels. */
export const UNKNOWN = '(unknown)';

/**
 * The shape of the codes Node gives its parser's and its timeouts' errors (HPE_INVALID_METHOD,
 * ERR_HTTP_REQUEST_TIMEOUT): only such a code is passed on, so that nothing else an error might
 * carry reaches the log.
 */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Told of each answer written here, before it is written, as the access log and the HTTP metrics
 * are told of every other by their middleware: it waits for the answer's `finish`. For bytes Node
 * could not read as a request, `clientError` is the code of Node's error (HPE_INVALID_HEADER_TOKEN,
 * HPE_HEADER_OVERFLOW, ERR_HTTP_REQUEST_TIMEOUT...): the one account of why they were refused,
 * since neither their method, their path nor any of their bytes is kept.
 */
export type AnswerWatch = (req: IncomingMessage, res: ServerResponse, clientError?: string) => void;

interface Answering {
  localizer: Localizer;
  headers: Readonly<Record<string, string>>;
  watch: AnswerWatch;
}

/**
 * A request Node's HTTP parser cannot read (a malformed request line or header, an unknown
 * method, headers over the size limit, a request not received within the server's timeouts)
 * never reaches Express: left to Node, it is answered with a status line and no body. It is
 * answered here with a WSError like every other refusal, in JSON and the default language
 * (its Accept and Accept-Language could not be read), with the API's security headers, and
 * the connection is closed, since what follows on it cannot be framed.
 *
 * Node also answers two readable requests by itself, with no body: an HTTP/1.1 request
 * without `Host` (400) and an `Expect` other than `100-continue` (417). They get a WSError
 * here too, in the format and language their Accept and Accept-Language ask for, as every
 * readable request's errors are; the connection stays open, as Node leaves it. So does a request that names a
 * header meant once more than once (400), while one with a transfer coding besides `chunked`
 * (501), or an HTTP/1.0 request with any Transfer-Encoding (400), has its connection closed.
 *
 * Each of these answers carries an `X-Request-Id` and is shown to `watch`, so that it is logged
 * and counted as the answers given behind Express are.
 */
export function answerUnreadableRequests(
  server: Server,
  localizer: Localizer,
  headers: Readonly<Record<string, string>>,
  watch: AnswerWatch,
): (res: ServerResponse, error: AppError) => void {
  const answering: Answering = { localizer, headers, watch };
  // Sockets whose refusal waits for the answer to the request before it.
  const waiting = new WeakSet<Duplex>();
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (waiting.has(socket)) return;
    // Closing, its last answer sent: what still comes is dropped (read-body.ts, lingerWhenClosed).
    if (err.code !== 'ECONNRESET' && isLingering(socket)) return;
    if (postponedHeadersTimeout(socket, err)) return;
    // The last request read, which may still wait its turn behind others (pipelined-requests.ts),
    // not only the one whose answer is being written.
    // Node's answer in flight: none before the first request, null once an answer is sent.
    const inFlight = lastUnsentAnswer(socket) ?? (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    // Bytes after an answer that closes the connection (Node's parser refuses what follows a
    // request asking to close) are that close's to read and drop (read-body.ts, lingerWhenClosed).
    // Destroyed here, between the answer handed to the kernel and Node's close after it, the
    // connection was reset with the end of that answer still unsent (a client reading the API
    // description at once with 80 KB of requests after it lost 0.5 to 1.1 MB of its 1.3 MB).
    if (inFlight !== undefined && closesConnection(inFlight)) return;
    const { kind, message } = REFUSALS[err.code ?? ''] ?? MALFORMED;
    // Closed once the answer is flushed, whether or not the client ever closes its side.
    const code = typeof err.code === 'string' && ERROR_CODE.test(err.code) ? err.code : undefined;
    const answer = () => writeUnreadableAnswer(socket, new AppError(kind, message), code, answering);
    // The bytes that cannot be read follow a request read whole, still running: a client reads
    // answers in the order of its requests, so this refusal comes after that request's answer.
    // Answered first, it would be taken for that request's answer, which was then lost, though
    // the request ran (a start followed by a stray byte committed while its client heard 400-150).
    if (inFlight !== undefined && !inFlight.writableFinished && inFlight.req?.complete === true) {
      waiting.add(socket);
      socket.pause();
      // An answer that closes the connection itself (413, 408) leaves nothing to add.
      inFlight.once('finish', () => socket.writable && answer());
      inFlight.once('close', () => inFlight.writableFinished || socket.destroy());
      return;
    }
    // As Node does: answer only when nothing of another answer has been written on the socket.
    if (inFlight?.headersSent) return void socket.destroy();
    answer();
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    writeError(res, new AppError('ExpectationFailed', `Expect ${JSON.stringify(String(req.headers.expect).slice(0, 64))} is not supported (only 100-continue)`, 'Expect'), answering);
  });
  // Node's own Host check answers before any listener runs: it is made here instead.
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Refused first and before anything reads the body, whose framing cannot be trusted: the
    // answer closes the connection, the rest of the body unread. Another refusal first would
    // leave the connection open, and Node would go on reading that body by the framing it chose.
    const unframed = transferCodingRefusal(req);
    if (unframed !== undefined) return writeError(res, stopReading(req, req, unframed), answering);
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      return writeError(res, new AppError('InvalidRequest', 'an HTTP/1.1 request must carry a Host header', 'Host'), answering);
    }
    const repeated = repeatedSingleField(req.rawHeaders);
    if (repeated !== undefined) {
      return writeError(res, new AppError('InvalidRequest', `the ${repeated} header may be sent once only`, repeated), answering);
    }
    for (const handle of handlers) handle(req, res);
  });
  // The same answers, for a readable request refused before it reaches the application.
  return (res, error) => writeError(res, error, answering);
}

/**
 * Fields a request carries once: Host (RFC 9112, 3.2: a server must refuse a request with more
 * than one), and the two of RFC 9110's singletons the API acts on. Of several lines Node keeps the
 * first and drops the others unseen, while an intermediary may have acted on another: checked a
 * token, or a content type, that is not the one the api reads.
 */
const SINGLE_FIELDS: ReadonlyMap<string, { name: string; bit: number }> = new Map([
  ['host', { name: 'Host', bit: 1 }],
  ['authorization', { name: 'Authorization', bit: 2 }],
  ['content-type', { name: 'Content-Type', bit: 4 }],
]);

function repeatedSingleField(rawHeaders: readonly string[]): string | undefined {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const field = SINGLE_FIELDS.get(rawHeaders[i].toLowerCase());
    if (field === undefined) continue;
    if (seen & field.bit) return field.name;
    seen |= field.bit;
  }
  return undefined;
}

/**
 * The answer to a request refused here: in the format and language it negotiated when its headers
 * could be read, else (bytes Node could not read as a request) JSON in the default language.
 */
function answerOf(
  error: AppError,
  id: string,
  { localizer, headers }: Answering,
  path?: string,
  context: RequestContext = { format: 'json', language: localizer.defaultLanguage },
): { status: number; text: string; fields: Record<string, string | number> } {
  const { format, language } = context;
  const body = wsErrorBody(error, localizer, language);
  const text = format === 'xml' ? toXml('WSError', body) : JSON.stringify(body);
  const type = `${answerTypeOf(context)}; charset=utf-8`;
  const fields = { ...headers, ...negotiatedHeaders(language, path), ...error.headers, 'X-Request-Id': id, 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) };
  return { status: statusOf(error.kind), text, fields };
}

function writeError(res: ServerResponse, error: AppError, answering: Answering): void {
  const req = res.req;
  req.id = requestIdOf(req);
  const { status, text, fields } = answerOf(error, req.id, answering, pathOf(req), negotiate(req, answering.localizer).context);
  // Set one by one, not given to writeHead, so that the request line lists them as it does every answer's.
  for (const [name, value] of Object.entries(fields)) res.setHeader(name, value);
  answering.watch(req, res);
  res.writeHead(status);
  res.end(text);
}

/**
 * Writes the answer to bytes Node could not read as a request, and closes the connection once it is
 * flushed, whether or not the client ever closes its side. `watch` is shown a request of unknown
 * method and path, under a fresh id (nothing the client sent is repeated in the log), and an answer
 * that finishes when the socket has sent it, and the code of the error Node refused them with.
 */
function writeUnreadableAnswer(socket: Duplex, error: AppError, clientError: string | undefined, answering: Answering): void {
  const req = Object.assign(new IncomingMessage(socket as Socket), { method: UNKNOWN, url: UNKNOWN });
  req.id = requestIdOf(req);
  const { status, text, fields } = answerOf(error, req.id, answering);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, ...Object.entries(fields).map(([name, value]) => `${name}: ${value}`), 'Connection: close'];
  const sent = Object.assign(new EventEmitter(), { statusCode: status, headersSent: true, writableEnded: false, getHeaders: () => ({ ...lowerCased(fields), connection: 'close' }) });
  answering.watch(req, sent as unknown as ServerResponse, clientError);
  socket.once('close', () => sent.emit('close'));
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`, () => {
    sent.writableEnded = true;
    sent.emit('finish');
    socket.destroy();
  });
}

function lowerCased(fields: Record<string, string | number>): Record<string, string | number> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value]));
}
