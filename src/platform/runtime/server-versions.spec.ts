import { cliLog } from '../../cli/cli-log';
import { ServerBelowMinimum, belowMinimumFields, databaseFinding, enforce, redisFinding, versionAtLeast, type VersionFinding } from './server-versions';

const info = (version: string) => `# Server\r\nredis_version:${version}\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n`;

describe('versionAtLeast', () => {
  it('compares the numbers in order, whatever follows them', () => {
    expect(versionAtLeast('10.11.19-MariaDB-0+deb12u1', '10.6')).toBe(true);
    expect(versionAtLeast('10.6.0-MariaDB', '10.6')).toBe(true);
    expect(versionAtLeast('10.5.27-MariaDB-log', '10.6')).toBe(false);
    expect(versionAtLeast('11.4.2-MariaDB', '10.6')).toBe(true);
    expect(versionAtLeast('8.0.36', '8.0.1')).toBe(true);
    expect(versionAtLeast('8.0.0', '8.0.1')).toBe(false);
    expect(versionAtLeast('7.0.15', '7.0')).toBe(true);
    expect(versionAtLeast('6.2.14', '7.0')).toBe(false);
    // Numbers, not text: 10 is above 9, and 2.8.9 below 2.8.18.
    expect(versionAtLeast('10.6.1', '9.9')).toBe(true);
    expect(versionAtLeast('2.8.9', '2.8.18')).toBe(false);
  });
});

describe('databaseFinding', () => {
  it('accepts MariaDB 10.6 and later, built and tested on 10.11', () => {
    expect(databaseFinding('10.11.19-MariaDB-0+deb12u1')).toBeUndefined();
    expect(databaseFinding('10.6.21-MariaDB')).toBeUndefined();
    expect(databaseFinding('5.5.5-10.11.6-MariaDB')).toBeUndefined();
  });

  it('refuses a MariaDB before 10.6, naming the version found and the minimum', () => {
    expect(databaseFinding('10.5.27-MariaDB-0+deb11u1')).toEqual({
      level: 'fatal', server: 'database', found: '10.5.27-MariaDB-0+deb11u1', minimum: 'MariaDB 10.6', reason: 'FOR UPDATE SKIP LOCKED is missing',
    });
    expect(databaseFinding('5.5.5-10.3.39-MariaDB')?.level).toBe('fatal');
  });

  it('warns on MySQL 8, which runs the statements but is untested, and refuses a MySQL without SKIP LOCKED', () => {
    expect(databaseFinding('8.0.36')).toMatchObject({ level: 'warn', found: '8.0.36', minimum: 'MariaDB 10.6' });
    expect(databaseFinding('8.4.3-standard')?.level).toBe('warn');
    expect(databaseFinding('5.7.44-log')).toMatchObject({ level: 'fatal', found: '5.7.44-log' });
  });
});

describe('redisFinding', () => {
  it('accepts Redis 7.0 and later, built and tested on 7.0', () => {
    expect(redisFinding(info('7.0.15'))).toBeUndefined();
    expect(redisFinding(info('7.2.4'))).toBeUndefined();
  });

  it('warns below 7.0, where the throttles cannot give a hit back, and refuses below Bull\'s minimum', () => {
    expect(redisFinding(info('6.2.14'))).toMatchObject({ level: 'warn', server: 'redis', found: '6.2.14', minimum: 'Redis 7.0' });
    expect(redisFinding(info('2.8.17'))).toMatchObject({ level: 'fatal', found: '2.8.17', minimum: 'Redis 2.8.18' });
  });

  it('says nothing of an answer without a version', () => {
    expect(redisFinding('# Server\r\n')).toBeUndefined();
  });
});

describe('enforce', () => {
  const warned: VersionFinding[] = [];
  beforeEach(() => (warned.length = 0));

  it('throws the fatal finding, with the fields of the fatal line, before warning of any', () => {
    const fatal = databaseFinding('10.5.27-MariaDB');
    let thrown: unknown;
    try {
      enforce([redisFinding(info('6.2.14')), fatal], (f) => warned.push(f));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ServerBelowMinimum);
    expect((thrown as Error).message).toBe('database server 10.5.27-MariaDB is below the minimum MariaDB 10.6: FOR UPDATE SKIP LOCKED is missing');
    expect(belowMinimumFields(thrown)).toEqual({ server: 'database', found: '10.5.27-MariaDB', minimum: 'MariaDB 10.6' });
    expect(warned).toEqual([]);
  });

  it('warns of each finding that only degrades, and of nothing when all is well', () => {
    enforce([undefined, redisFinding(info('6.2.14'))], (f) => warned.push(f));
    expect(warned.map((f) => f.server)).toEqual(['redis']);
    enforce([databaseFinding('10.11.19-MariaDB-0+deb12u1'), redisFinding(info('7.0.15'))], (f) => warned.push(f));
    expect(warned).toHaveLength(1);
    expect(belowMinimumFields(new Error('other'))).toEqual({});
  });

  it('writes its warning as the lines before the logger and the commands\' lines are: one JSON line on stderr, with level, time and msg, nothing on stdout', () => {
    const stdout = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      enforce([databaseFinding('8.0.36')]);
      cliLog('error', 'a command\'s failure');
      expect(stdout).not.toHaveBeenCalled();
      expect(stderr).toHaveBeenCalledTimes(2);
      const [warning, failure] = stderr.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
      expect(warning).toEqual({ level: 'warn', time: expect.any(String), msg: 'server version not fully supported', server: 'database', found: '8.0.36', minimum: 'MariaDB 10.6', reason: expect.stringContaining('MySQL is untested') });
      expect(Object.keys(warning).slice(0, 3)).toEqual(Object.keys(failure).slice(0, 3));
      expect(new Date(String(warning.time)).toISOString()).toBe(warning.time);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
