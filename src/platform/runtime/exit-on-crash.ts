import { loggableError } from '../logging/loggable-error';
import { plainLine } from '../logging/plain-line';

/** The process's logger once it has one: nestjs-pino's Logger, whose `err` serializer is loggableError. */
export interface FatalLogger {
  fatal(fields: object, msg: string, context: string): void;
}

export interface CrashHandlers {
  /** From now on the fatal line goes through the process's logger (JSON on stdout, with its pid and time). */
  logTo(logger: FatalLogger): void;
}

/** The handlers exitOnCrash installed in this process, if it did. */
let installed: CrashHandlers | undefined;

/**
 * Hands the process's logger to the crash handlers exitOnCrash installed, if any: called once the
 * logger exists (LoggingModule, while Nest builds the application), not once the entry point gets
 * the application back, since the worker's heartbeat and queue processors start before that.
 */
export function logCrashesTo(logger: FatalLogger): void {
  installed?.logTo(logger);
}

type Origin = 'uncaughtException' | 'unhandledRejection';

/**
 * Makes an error nothing caught, outside a request or a job (a timer, an event handler, a library's
 * callback, a promise nobody awaits), end the process as every other line is written: one `fatal`
 * line, the error in it as loggableError keeps it, then exit 1. Node's own handling printed the error
 * as plain text on stderr with every field it has: a failed statement's `parameters` and its `sql`
 * with the values written in, customers' data.
 *
 * The process exits at once, with no graceful stop: after such an error its state is unknown, and
 * a stop of 10 s or 25 s would keep it serving meanwhile; what it leaves is recovered as after a
 * kill (docs/operations.md, Logs).
 *
 * Until `logTo` (logCrashesTo), the line is plain JSON on stderr, as a process's other last lines are
 * (`api failed to start`).
 */
export function exitOnCrash(processName: 'api' | 'worker', exit: (code: number) => void = (code) => process.exit(code)): CrashHandlers {
  const msg = `${processName} crashed`;
  const context = processName === 'api' ? 'Api' : 'Worker';
  let logger: FatalLogger | undefined;
  const crash = (thrown: unknown, origin: Origin): void => {
    const err = thrownError(thrown);
    try {
      if (logger) logger.fatal({ origin, err }, msg, context);
      else plainCrashLine(msg, origin, err);
    } catch {
      // A logger that fails (its stream closed) must not keep the process from exiting.
      try {
        plainCrashLine(msg, origin, err);
      } catch {
        // Nothing is left to write to.
      }
    }
    exit(1);
  };
  process.on('uncaughtException', (err, origin) => crash(err, origin));
  // Its own listener, not Node's rethrow as an uncaught exception: that rethrow turns a rejection
  // with something other than an Error into an error whose message quotes the value.
  process.on('unhandledRejection', (reason) => crash(reason, 'unhandledRejection'));
  installed = { logTo: (given) => void (logger = given) };
  return installed;
}

function plainCrashLine(msg: string, origin: Origin, err: unknown): void {
  plainLine('fatal', msg, { origin, err: loggableError(err) });
}

/**
 * An Error, or a text, is logged as loggableError keeps it. Anything else thrown (a plain object, a
 * number) loggableError would log as it is, with whatever it holds: only its kind is logged.
 */
function thrownError(thrown: unknown): unknown {
  if (thrown instanceof Error || typeof thrown === 'string') return thrown;
  const kind = thrown === null ? 'null' : typeof thrown === 'object' ? (thrown.constructor?.name ?? 'Object') : typeof thrown;
  return { type: kind, message: `a value that is not an Error was thrown (${kind}); its content is not logged` };
}
