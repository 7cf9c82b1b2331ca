/**
 * Which part of a transcript a reading answers: the messages after `after` (a message id of
 * the same transcript; from the first when absent), at most `limit` of them, and no more of
 * their text than the page's byte budget (messagesOnPage). A long conversation is read page by
 * page, so one reading never loads an unbounded transcript.
 */
export interface TranscriptPage {
  after?: string;
  limit: number;
}

/** Messages a reading answers when the client does not say. */
export const TRANSCRIPT_PAGE_DEFAULT = 200;
/** The most a client may ask for at once: as many as one callback POST carries. */
export const TRANSCRIPT_PAGE_MAX = 1000;

/**
 * How many of the messages that follow a page's start (their text's sizes in bytes, in order)
 * the page holds: at most `limit`, and it ends before the message that would take its text past
 * `maxBytes`, so that a page of long messages is not tens of megabytes (a message's text is up to
 * 64 KB: 1000 of them, 64 MB); it always holds the first, however long, so that paging goes on.
 */
export function messagesOnPage(sizes: readonly number[], limit: number, maxBytes: number): number {
  let bytes = 0;
  let count = 0;
  for (const size of sizes) {
    if (count === limit || (count > 0 && bytes + size > maxBytes)) break;
    bytes += size;
    count++;
  }
  return count;
}
