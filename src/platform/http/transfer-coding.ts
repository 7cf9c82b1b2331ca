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
 */
export function transferCodingRefusal(header: string | undefined): AppError | undefined {
  if (header === undefined) return undefined;
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '');
  if (codings.at(-1) !== 'chunked' || codings.length === 1) return undefined;
  return new AppError('UnsupportedTransferCoding', `Transfer-Encoding ${echoedHeader(header)} is not supported (only chunked is)`, 'Transfer-Encoding');
}
