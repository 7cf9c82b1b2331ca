import { invalidQueryValue as invalid, pageLimitOf, singleQueryValue as single } from '../../../platform/http/query-value';
import { TRANSCRIPT_PAGE_DEFAULT, TRANSCRIPT_PAGE_MAX, type TranscriptPage } from '../domain/transcript-page';

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `after` and `limit` of a transcript reading. Other query parameters are ignored, as on the
 * configuration read (a cache buster, say); these two are given once each.
 */
export function transcriptPageOf(query: Record<string, unknown>): TranscriptPage {
  const after = single(query, 'after');
  if (after !== undefined && !MESSAGE_ID.test(after)) invalid('after', 'after must be the id of a message of this conversation\'s transcript');
  const limit = pageLimitOf(query, TRANSCRIPT_PAGE_DEFAULT, TRANSCRIPT_PAGE_MAX);
  return { ...(after !== undefined ? { after: after.toLowerCase() } : {}), limit };
}
