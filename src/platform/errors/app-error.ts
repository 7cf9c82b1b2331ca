import type { ErrorKind } from './error-catalogue';

/**
 * Base of every typed error the platform raises. Plain TypeScript so that
 * domain code can extend it; the HTTP status, code and message key come from
 * the catalogue, looked up once by the exception filter.
 */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly developerMessage: string,
    /** The parameter or field at fault, when there is one (e.g. `activity.subject`). */
    readonly details?: string,
    /** Values interpolated into the localized user message. */
    readonly args: Record<string, string | number> = {},
    /** Response headers that go with this error, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(developerMessage);
    this.name = kind;
  }
}
