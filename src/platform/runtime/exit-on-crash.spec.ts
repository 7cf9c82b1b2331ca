import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Logger, PinoLogger } from 'nestjs-pino';
import { duplicateEntry, MASKED_DUPLICATE_ENTRY as MASKED_ERR } from '../../../test/support/duplicate-entry';
import { AppConfig } from '../config/app-config';
import { loggableError } from '../logging/loggable-error';
import { LoggingModule } from '../logging/logging.module';
import { exitOnCrash } from './exit-on-crash';

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;
type Listener = (...args: unknown[]) => void;
const listenersOf = (event: (typeof EVENTS)[number]): Listener[] => (process as NodeJS.EventEmitter).listeners(event) as Listener[];

/**
 * The handlers are called as Node calls them, but directly: emitting the events would reach Jest's
 * own uncaughtException listener too, which fails the test running. The exit is recorded.
 */
describe('exitOnCrash', () => {
  let known: Map<string, Listener[]>;
  let stderr: jest.SpyInstance;
  let exits: number[];

  beforeEach(() => {
    known = new Map(EVENTS.map((e) => [e, listenersOf(e)]));
    stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    exits = [];
  });

  afterEach(() => {
    for (const event of EVENTS) for (const l of listenersOf(event)) if (!known.get(event)!.includes(l)) (process as NodeJS.EventEmitter).off(event, l);
    stderr.mockRestore();
  });

  /** The one listener exitOnCrash added for `event`. */
  function handler(event: (typeof EVENTS)[number]): Listener {
    const added = listenersOf(event).filter((l) => !known.get(event)!.includes(l));
    expect(added).toHaveLength(1);
    return added[0];
  }

  const install = (name: 'api' | 'worker') => exitOnCrash(name, (code) => void exits.push(code));

  it('before the logger exists: one plain JSON fatal line on stderr, the error masked, then exit 1', () => {
    install('api');
    handler('unhandledRejection')(duplicateEntry(), Promise.resolve());

    expect(exits).toEqual([1]);
    expect(stderr).toHaveBeenCalledTimes(1);
    const line = String(stderr.mock.calls[0][0]);
    expect(JSON.parse(line)).toEqual({ level: 'fatal', time: expect.any(String), msg: 'api crashed', origin: 'unhandledRejection', err: MASKED_ERR });
    // Neither the parameters nor the statement with its values (`sql`, `driverError`).
    expect(line).not.toContain('ada@example.com');
  });

  it("once the logger exists: one JSON fatal line through it, the error as the logs' serializer keeps it, then exit 1", () => {
    const lines: string[] = [];
    const pino = new PinoLogger({ pinoHttp: [{ serializers: { err: loggableError } }, { write: (line: string) => void lines.push(line) }] });
    install('worker').logTo(new Logger(pino, {}));
    handler('uncaughtException')(duplicateEntry(), 'uncaughtException');

    expect(exits).toEqual([1]);
    expect(stderr).not.toHaveBeenCalled();
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 60, pid: process.pid, context: 'Worker', msg: 'worker crashed', origin: 'uncaughtException', err: MASKED_ERR });
    expect(JSON.parse(lines[0]).err).toEqual(MASKED_ERR);
    expect(lines[0]).not.toContain('ada@example.com');
  });

  it('takes the logger the logging module hands over as soon as it is made, with no call from the entry point', async () => {
    install('worker');
    const config = Object.assign(new AppConfig(), { LOG_LEVEL: 'info' });
    @Global()
    @Module({ providers: [{ provide: AppConfig, useValue: config }], exports: [AppConfig] })
    class ConfigForLogs {}
    const fatal = jest.spyOn(Logger.prototype, 'fatal').mockImplementation(() => undefined);
    try {
      // Built only, never initialized: no module's hook has run.
      const built = await Test.createTestingModule({ imports: [ConfigForLogs, LoggingModule] }).compile();
      const thrown = duplicateEntry();
      handler('uncaughtException')(thrown, 'uncaughtException');
      expect(exits).toEqual([1]);
      expect(stderr).not.toHaveBeenCalled();
      expect(fatal.mock.contexts).toEqual([built.get(Logger)]);
      expect(fatal.mock.calls).toEqual([[{ origin: 'uncaughtException', err: thrown }, 'worker crashed', 'Worker']]);
    } finally {
      fatal.mockRestore();
    }
  });

  it('a thrown value that is not an Error is logged by its kind only, never by what it holds', () => {
    install('api');
    handler('unhandledRejection')({ email: 'ada@example.com' }, Promise.resolve());

    expect(exits).toEqual([1]);
    const line = String(stderr.mock.calls[0][0]);
    expect(JSON.parse(line).err).toEqual({ type: 'Object', message: 'a value that is not an Error was thrown (Object); its content is not logged' });
    expect(line).not.toContain('ada@example.com');
  });

  it('exits 1 when the logger itself fails, with the plain line instead', () => {
    install('api').logTo({ fatal: () => { throw new Error('stream closed'); } });
    handler('uncaughtException')(new Error('boom'), 'uncaughtException');

    expect(exits).toEqual([1]);
    expect(JSON.parse(String(stderr.mock.calls[0][0]))).toMatchObject({ level: 'fatal', msg: 'api crashed', err: { type: 'Error', message: 'boom' } });
  });
});
