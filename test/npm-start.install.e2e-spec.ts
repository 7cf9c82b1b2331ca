import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');

/**
 * The first step of `npm start` and `npm test` (scripts/ensure-installed.js): `npm ci` when
 * node_modules is missing or older than the lockfile, nothing otherwise. Run on a checkout of
 * its own whose `npm` only records how it was called.
 */
describe('npm start: the install step', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ensure-installed-'));
    mkdirSync(join(root, 'scripts'));
    copyFileSync(join(ROOT, 'scripts/ensure-installed.js'), join(root, 'scripts/ensure-installed.js'));
    writeFileSync(join(root, 'package-lock.json'), '{}');
    mkdirSync(join(root, 'bin'));
    writeFileSync(join(root, 'bin/npm'), `#!/bin/sh\necho "$PWD $*" >> "${join(root, 'npm-calls')}"\n`);
    chmodSync(join(root, 'bin/npm'), 0o755);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** node_modules as npm leaves it, installed at `installedAt` from a lockfile written at `lockedAt` (seconds). */
  function installed(installedAt: number, lockedAt: number): void {
    mkdirSync(join(root, 'node_modules'));
    writeFileSync(join(root, 'node_modules/.package-lock.json'), '{}');
    utimesSync(join(root, 'node_modules/.package-lock.json'), installedAt, installedAt);
    utimesSync(join(root, 'package-lock.json'), lockedAt, lockedAt);
  }

  async function npmCalls(): Promise<string[]> {
    await promisify(execFile)(process.execPath, [join(root, 'scripts/ensure-installed.js')], {
      cwd: tmpdir(),
      env: { PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}` },
    });
    const calls = join(root, 'npm-calls');
    return existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [];
  }

  it('runs npm ci from the lockfile, in the checkout, when node_modules is missing', async () => {
    expect(await npmCalls()).toEqual([`${root} ci --no-audit --no-fund`]);
  });

  it('runs npm ci when node_modules is older than the lockfile', async () => {
    installed(1_800_000_000, 1_800_000_001);
    expect(await npmCalls()).toEqual([`${root} ci --no-audit --no-fund`]);
  });

  it('installs nothing when node_modules is as new as the lockfile or newer', async () => {
    installed(1_800_000_000, 1_800_000_000);
    expect(await npmCalls()).toEqual([]);
    utimesSync(join(root, 'package-lock.json'), 1_700_000_000, 1_700_000_000);
    expect(await npmCalls()).toEqual([]);
  });
});
