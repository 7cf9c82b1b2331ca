import { MASKED_VALUE } from '../errors/masked-error-text';

/**
 * The query parameters the API reads, whose values are logged as sent: none of them carries a
 * secret or a customer's data (`test/openapi.e2e-spec.ts` checks that every query parameter the
 * API describes is here).
 */
export const LOGGED_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'anonymousCustomer', 'searchContactOnAttribute', 'sendTypingNotification', 'conversationContact',
  'entrypoint', 'forceLogin', 'keepPreviousSeconds', 'after', 'limit', 'scope',
]);

/** A name the API does not read is kept when it is short and plain, to say what was sent; anything else may be a token sent alone. */
const PLAIN_NAME = /^[A-Za-z0-9_.[\]-]{1,40}$/;

/**
 * A request's URL as its request line logs it: the path, and of its query string the parameters
 * the API reads. Any other parameter's value is masked: a client that puts an access token, a
 * client secret or a customer's e-mail address in the URL (`?access_token=…`, which the API
 * refuses or ignores) does not have it written to the log.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url.slice(at + 1).split('&').map((pair) => {
    if (pair === '') return pair;
    const eq = pair.indexOf('=');
    const raw = eq < 0 ? pair : pair.slice(0, eq);
    const name = decodedOrNot(raw);
    if (LOGGED_QUERY_PARAMETERS.has(name)) return pair;
    const shown = PLAIN_NAME.test(name) ? raw : MASKED_VALUE;
    return eq < 0 ? shown : `${shown}=${MASKED_VALUE}`;
  });
  return `${url.slice(0, at)}?${query.join('&')}`;
}

function decodedOrNot(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
