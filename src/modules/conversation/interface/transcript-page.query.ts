import { AppError } from '../../../platform/errors/app-error';
import { TRANSCRIPT_PAGE_DEFAULT, TRANSCRIPT_PAGE_MAX, type TranscriptPage } from '../domain/transcript-page';

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIMIT = /^[1-9]\d{0,3}$/;

/**
 * `after` and `limit` of a transcript reading. Other query parameters are ignored, as on the
 * configuration read (a cache buster, say); these two are given once each.
 */
export function transcriptPageOf(query: Record<string, unknown>): TranscriptPage {
  const after = single(query, 'after');
  const limit = single(query, 'limit');
  if (after !== undefined && !MESSAGE_ID.test(after)) invalid('after', 'after must be the id of a message of this conversation\'s transcript');
  if (limit !== undefined && !(LIMIT.test(limit) && Number(limit) <= TRANSCRIPT_PAGE_MAX)) invalid('limit', `limit must be a whole number from 1 to ${TRANSCRIPT_PAGE_MAX}`);
  return { ...(after !== undefined ? { after: after.toLowerCase() } : {}), limit: limit === undefined ? TRANSCRIPT_PAGE_DEFAULT : Number(limit) };
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AppError('RepeatedParameter', `query parameter ${name} is given more than once`, name, { param: name });
  return value;
}

function invalid(param: string, message: string): never {
  throw new AppError('InvalidParameterValue', message, param, { param });
}
