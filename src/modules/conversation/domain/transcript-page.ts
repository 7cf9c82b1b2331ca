/**
 * Which part of a transcript a reading answers: the messages after `after` (a message id of
 * the same transcript; from the first when absent), at most `limit` of them. A long
 * conversation is read page by page, so one reading never loads an unbounded transcript.
 */
export interface TranscriptPage {
  after?: string;
  limit: number;
}

/** Messages a reading answers when the client does not say. */
export const TRANSCRIPT_PAGE_DEFAULT = 200;
/** The most a client may ask for at once: as many as one callback POST carries. */
export const TRANSCRIPT_PAGE_MAX = 1000;
