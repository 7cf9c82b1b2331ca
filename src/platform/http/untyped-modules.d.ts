/** Types for the parts of busboy's own toolkit that the multipart charset check reuses (they ship none). */

declare module 'streamsearch' {
  type MatchCallback = (isMatch: boolean, data: Buffer | undefined, start: number, end: number, isDataSafe: boolean) => void;

  /** The streaming Boyer-Moore-Horspool search busboy frames multipart bodies with. */
  class StreamSearch {
    constructor(needle: string | Buffer, callback: MatchCallback);
    push(chunk: Buffer, pos?: number): number;
    /** Hands the bytes still held back (a partial match at the end) to the callback. */
    destroy(): void;
  }

  export = StreamSearch;
}

declare module 'busboy/lib/utils' {
  /** busboy's parser of a Content-Type value: undefined when it cannot read it. */
  export function parseContentType(value: string): { type: string; subtype: string; params: Record<string, string> } | undefined;
}

/** class-transformer's metadata storage and default options: its CommonJS build ships their types apart, under types/. */
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}

declare module 'class-transformer/cjs/constants/default-options.constant' {
  export { defaultOptions } from 'class-transformer/types/constants/default-options.constant';
}
