import type { ApiQueryOptions } from '@nestjs/swagger';

/** The `limit` of a paged reading as `pageLimitOf` (platform/http/query-value.ts) reads it: 1 to `max` `items`, `fallback` when absent. */
export function pageLimitQuery(items: string, fallback: number, max: number): ApiQueryOptions {
  return {
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: max, default: fallback },
    description: `the most ${items} the page holds, 1 to ${max} (default ${fallback})`,
  };
}
