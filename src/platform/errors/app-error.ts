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

/**
 * For a route that takes the id of its resource from the path: an error the use case raised
 * naming that id by its body member (`member`, as sendmessage sends it) names the path
 * parameter instead, which is what the client sent.
 */
export async function atPathParameter<T>(parameter: string, member: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof AppError) || error.details !== member) throw error;
    const named = new AppError(error.kind, error.developerMessage, parameter, error.args, error.headers);
    named.stack = error.stack;
    throw named;
  }
}
