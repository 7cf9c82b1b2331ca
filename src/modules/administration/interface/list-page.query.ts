import { invalidQueryValue, pageLimitOf, singleQueryValue } from '../../../platform/http/query-value';
import { canonicalId } from '../../../platform/http/wire-id';
import { LIST_PAGE_DEFAULT, LIST_PAGE_MAX, type ListPage } from '../domain/list-page';

/**
 * `after` and `limit` of an administered list. `after` is an id in any form the API reads
 * (`"07"` is `"7"`); it need not name an existing item. Other query parameters are left to the
 * route (the attribute list's `scope`) or ignored, as on the other readings.
 */
export function listPageOf(query: Record<string, unknown>, resource: string): ListPage {
  const after = singleQueryValue(query, 'after');
  const afterId = after === undefined ? undefined : canonicalId(after);
  if (after !== undefined && afterId === undefined) invalidQueryValue('after', `after must be the id of ${resource}`);
  const limit = pageLimitOf(query, LIST_PAGE_DEFAULT, LIST_PAGE_MAX);
  return { ...(afterId !== undefined ? { after: afterId } : {}), limit };
}
