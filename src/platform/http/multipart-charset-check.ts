import { parseContentType } from 'busboy/lib/utils';
import StreamSearch from 'streamsearch';
import { nonUtf8Charset } from './charset';

/** busboy refuses a part whose headers are longer (its MAX_HEADER_SIZE), so no more is kept. */
const MAX_HEAD_BYTES = 16 * 1024 + 4;
/** Two parts and the closing delimiter: a body with more parts is refused anyway. */
const MAX_HEADS = 3;
const CONTENT_TYPE_LINE = /^content-type:[ \t]*(.*)$/i;
const FOLD = /\r\n(?=[ \t])/g;

/**
 * Finds a charset other than UTF-8 declared by a part of a multipart body in its own
 * Content-Type. busboy decodes a plain field in its part's charset and tells no one which,
 * so the body is framed a second time, as busboy frames it: the boundary read by busboy's
 * own parser, the same delimiter search (`streamsearch`, with the CRLF busboy puts first so
 * that a body without preamble matches), then the head of each part after its delimiter, up
 * to the blank line. Only the heads are kept.
 */
export class MultipartCharsetCheck {
  private readonly search: StreamSearch | undefined;
  private readonly heads: Buffer[][] = [];
  private headBytes = 0;

  constructor(contentType: string) {
    const boundary = parseContentType(contentType)?.params.boundary;
    // Without a boundary busboy refuses the body before reading it.
    if (!boundary) return;
    this.search = new StreamSearch(`\r\n--${boundary}`, (isMatch, data, start, end) => {
      // The bytes before the first delimiter are the preamble: no head is open yet.
      const head = this.heads[this.heads.length - 1];
      if (data && head && this.headBytes < MAX_HEAD_BYTES) {
        const slice = data.subarray(start, Math.min(end, start + MAX_HEAD_BYTES - this.headBytes));
        head.push(Buffer.from(slice));
        this.headBytes += slice.length;
      }
      if (isMatch && this.heads.length < MAX_HEADS) {
        this.heads.push([]);
        this.headBytes = 0;
      }
    });
    this.search.push(Buffer.from('\r\n'));
  }

  push(chunk: Buffer): void {
    this.search?.push(chunk);
  }

  /** Once the body has been pushed whole: the first charset other than UTF-8 a part declares. */
  nonUtf8Charset(): string | undefined {
    this.search?.destroy();
    for (const head of this.heads) {
      const text = Buffer.concat(head).toString('latin1');
      // After a delimiter, '--' closes the body (what follows is the epilogue) and CRLF opens a part's headers.
      if (!text.startsWith('\r\n')) continue;
      const headerEnd = text.indexOf('\r\n\r\n');
      // busboy unfolds a header continued on a line that starts with a space or a tab (obs-fold,
      // RFC 5322 2.2.3), keeping that space: `text/plain;` CRLF ` charset=iso-8859-1` is its charset.
      const lines = text.slice(2, headerEnd < 0 ? undefined : headerEnd).replace(FOLD, '').split('\r\n');
      // busboy reads a part's first Content-Type.
      const contentType = lines.map((line) => CONTENT_TYPE_LINE.exec(line)).find((match) => match !== null);
      const charset = contentType ? nonUtf8Charset(contentType[1]) : undefined;
      if (charset !== undefined) return charset;
    }
    return undefined;
  }
}
