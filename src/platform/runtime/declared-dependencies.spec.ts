import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Packages the compiled code loads at run time: `import type` is erased, so it does not count. */
function loadedPackages(text: string): string[] {
  const specifiers = [
    ...[...text.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]),
    ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\brequire\('([^']+)'\)/g)].map((m) => m[1]),
  ];
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]))
    .map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
}

describe('declared dependencies', () => {
  it('every package the api, the worker and the CLI load is a production dependency of its own', () => {
    // The image keeps production dependencies only, and a package reached through another's
    // dependency is whichever version npm happened to hoist.
    const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const files = [...sources(join(root, 'src')), join(root, 'ormconfig.ts')];
    const undeclared = files.flatMap((file) => loadedPackages(readFileSync(file, 'utf8')).filter((name) => !(name in dependencies)).map((name) => `${name} (${file.slice(root.length + 1)})`));
    expect(undeclared).toEqual([]);
  });
});
