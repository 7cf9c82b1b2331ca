import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/app-error';
import { echoedHeader } from '../errors/echoed-value';

/**
 * The refusal of a request whose `Transfer-Encoding` names a coding besides `chunked` before it,
 * or none when it names `chunked` alone (any case, any whitespace, empty list elements ignored as
 * RFC 9110 (5.6.1) asks) or is absent.
 *
 * Node's parser frames a body by its last coding only: `gzip, chunked` is read as chunked and its
 * still-compressed bytes would be taken for the body. RFC 9112 (6.1) has a server answer a
 * coding it does not understand with 501; `identity` is one too, no longer a registered coding
 * (RFC 7230 removed it). A list that does not end with `chunked` is left to Node, which refuses it
 * (400-150) just after the request is emitted: its body's length cannot be determined, and RFC
 * 9112 (6.3) requires a 400 there. So is `chunked` applied twice, refused before (RFC 9112, 6.1:
 * a sender must not).
 *
 * HTTP/1.0 has no transfer codings: a 1.0 request that names one (even an empty list) was framed
 * by a sender that does not follow the version it claims, or crafted to be read one way by an
 * intermediary and another way here. RFC 9112 (6.1) has the framing treated as faulty, Content-Length
 * or not, and the connection closed; Node would read it as chunked. It is 400-150, as Node's own
 * refusals of a body whose length cannot be determined.
 */
export function transferCodingRefusal(req: Pick<IncomingMessage, 'headers' | 'httpVersionMajor' | 'httpVersionMinor'>): AppError | undefined {
  const header = req.headers['transfer-encoding'];
  if (header === undefined) return undefined;
  if (req.httpVersionMajor < 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor === 0)) {
    return new AppError('InvalidRequest', `an HTTP/${req.httpVersionMajor}.${req.httpVersionMinor} request cannot be framed by Transfer-Encoding`, 'Transfer-Encoding');
  }
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '');
  if (codings.at(-1) !== 'chunked' || codings.length === 1) return undefined;
  return new AppError('UnsupportedTransferCoding', `Transfer-Encoding ${echoedHeader(header)} is not supported (only chunked is)`, 'Transfer-Encoding');
}
