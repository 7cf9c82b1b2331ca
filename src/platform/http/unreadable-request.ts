import { type Server, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { AppError } from '../errors/app-error';
import { codeOf, statusOf, type WsErrorBody } from '../errors/ws-error';
import type { ErrorKind } from '../errors/error-catalogue';
import type { Localizer } from '../i18n/localizer';

/** What Node's HTTP parser refuses before there is a request, and the WSError each is answered with. */
const REFUSALS: Readonly<Record<string, { kind: ErrorKind; message: string }>> = {
  HPE_HEADER_OVERFLOW: { kind: 'HeaderTooLarge', message: 'request headers exceed the size limit' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { kind: 'BodyTooLarge', message: 'chunk extensions exceed the size limit' },
  ERR_HTTP_REQUEST_TIMEOUT: { kind: 'RequestTimeout', message: 'the request was not received in time' },
};
const MALFORMED = { kind: 'InvalidRequest', message: 'the request is not valid HTTP/1.1' } as const;

/**
 * A request Node's HTTP parser cannot read (a malformed request line or header, an unknown
 * method, headers over the size limit, a request not received within the server's timeouts)
 * never reaches Express: left to Node, it is answered with a status line and no body. It is
 * answered here with a WSError like every other refusal, in JSON and the default language
 * (its Accept and Accept-Language could not be read), with the API's security headers, and
 * the connection is closed, since what follows on it cannot be framed.
 */
export function answerUnreadableRequests(server: Server, localizer: Localizer, headers: Readonly<Record<string, string>>): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // As Node does: answer only when nothing of another answer has been written on the socket.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    const { kind, message } = REFUSALS[err.code ?? ''] ?? MALFORMED;
    // Closed once the answer is flushed, whether or not the client ever closes its side.
    socket.end(unreadableAnswer(new AppError(kind, message), localizer, headers), () => socket.destroy());
  });
}

function unreadableAnswer(error: AppError, localizer: Localizer, headers: Readonly<Record<string, string>>): string {
  const language = localizer.defaultLanguage;
  const body: WsErrorBody = {
    code: codeOf(error.kind),
    developerMessage: error.developerMessage,
    userMessage: localizer.message(error.kind, language, { ...error.args }),
  };
  const text = JSON.stringify(body);
  const status = statusOf(error.kind);
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Language: ${language}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
  ];
  return `${lines.join('\r\n')}\r\n\r\n${text}`;
}
