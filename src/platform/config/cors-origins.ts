/** The allowed origins of CORS_ORIGINS: none (no CORS at all), any (`*`), or an exact list. */
export type CorsOrigins = 'none' | 'any' | readonly string[];

/**
 * Reads CORS_ORIGINS: empty or unset is none, `*` alone is any origin, otherwise a comma-separated
 * list of origins as browsers send them in `Origin`. Returns the reasons the value is refused
 * instead when it is malformed, so that start-up names every wrong entry at once.
 */
export function parseCorsOrigins(value: string | undefined): { origins: CorsOrigins } | { problems: string[] } {
  const entries = (value ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) return { origins: 'none' };
  if (entries.includes('*')) return entries.length === 1 ? { origins: 'any' } : { problems: ['"*" (any origin) stands alone, not beside other origins'] };
  const problems = entries.flatMap((e) => originProblem(e) ?? []);
  return problems.length > 0 ? { problems } : { origins: [...new Set(entries)] };
}

/**
 * A browser compares `Origin` with the allowed origin byte for byte, and sends it serialized:
 * lowercase scheme and host, no default port, no path. An entry written another way would
 * match no request and fail silently, so it is refused with the form it should take.
 */
function originProblem(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return `"${entry}" is not an origin (scheme://host[:port], e.g. https://desk.example.com)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${entry}" is not an http or https origin`;
  if (url.origin !== entry) return `"${entry}" is not written as browsers send it; write ${url.origin}`;
  return undefined;
}
