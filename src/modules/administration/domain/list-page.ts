/**
 * Which part of an administered list a reading answers: the items whose id is above `after`
 * (from the first when absent), in id order, at most `limit` of them. Ids only grow and the
 * administration API deletes nothing, so a client that follows the pages sees every item
 * that existed when it started, once, even while items are added.
 */
export interface ListPage {
  after?: string;
  limit: number;
}

/** A page of a list, and whether items follow it. */
export interface ListPageOf<T> {
  items: T[];
  more: boolean;
}

/** Items a list answers when the client does not say. */
export const LIST_PAGE_DEFAULT = 200;
/** The most a client may ask for at once. */
export const LIST_PAGE_MAX = 1000;

/** Rows read for a page (one more than its limit, to know whether more follow) cut to the page. */
export function pageFromRows<T>(rows: T[], page: ListPage): ListPageOf<T> {
  return { items: rows.slice(0, page.limit), more: rows.length > page.limit };
}
