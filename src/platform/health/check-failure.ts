/**
 * What a readiness answer says of a failed check: a reason from a short, stable list. A
 * driver's message names the host and port of the service ("connect ECONNREFUSED
 * 10.0.3.7:3306"), which is not for whoever can reach the probe; the message goes to the log.
 */
export type CheckFailureReason = 'timeout' | 'refused' | 'unreachable' | 'connection lost' | 'access denied' | 'failed';

/** The error of a check that did not answer within its bound (withTimeout). */
export class CheckTimeout extends Error {}

const BY_CODE: Record<string, CheckFailureReason> = {
  ECONNREFUSED: 'refused',
  ETIMEDOUT: 'timeout',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  ECONNRESET: 'connection lost',
  EPIPE: 'connection lost',
  PROTOCOL_CONNECTION_LOST: 'connection lost',
  ER_ACCESS_DENIED_ERROR: 'access denied',
  ER_DBACCESS_DENIED_ERROR: 'access denied',
};

/** The error codes of `err`, of the driver's error it wraps and, for a connection tried at several addresses, of each try. */
function codesOf(err: unknown): string[] {
  const e = err as { code?: unknown; driverError?: unknown; errors?: unknown } | undefined;
  if (!e || typeof e !== 'object') return [];
  const own = typeof e.code === 'string' ? [e.code] : [];
  const nested = [e.driverError, ...(Array.isArray(e.errors) ? e.errors : [])].filter((x) => x && x !== err);
  return [...own, ...nested.flatMap(codesOf)];
}

export function reasonOf(err: unknown): CheckFailureReason {
  if (err instanceof CheckTimeout) return 'timeout';
  for (const code of codesOf(err)) if (BY_CODE[code]) return BY_CODE[code];
  // Redis answers an authentication failure with an error reply, not a code.
  if (/^(NOAUTH|WRONGPASS)\b/.test((err as Error)?.message ?? '')) return 'access denied';
  return 'failed';
}

/**
 * Whether a failure of a check is logged: the first, and then at most one per `intervalMs` for
 * each check, or at once when its message changes. A probe every few seconds during an outage
 * would otherwise write the same line every few seconds.
 */
export class FailureLogThrottle {
  private readonly last = new Map<string, { message: string; at: number }>();

  constructor(private readonly intervalMs: number, private readonly now: () => number = Date.now) {}

  shouldLog(check: string, message: string): boolean {
    const previous = this.last.get(check);
    const now = this.now();
    if (previous && previous.message === message && now - previous.at < this.intervalMs) return false;
    this.last.set(check, { message, at: now });
    return true;
  }

  /** The check answered: its next failure is logged whatever came before. */
  recovered(check: string): void {
    this.last.delete(check);
  }
}
