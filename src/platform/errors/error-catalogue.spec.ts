import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { ERROR_CATALOGUE, ERROR_KINDS } from './error-catalogue';

const ROOT = join(__dirname, '..', '..', '..');
const I18N = join(ROOT, 'src', 'i18n');
const DOC = join(ROOT, 'docs', 'start-conversation.md');
const LANGUAGES = readdirSync(I18N, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

const messagesOf = (language: string): Record<string, string> => JSON.parse(readFileSync(join(I18N, language, 'errors.json'), 'utf8'));
const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Rows of the error table in docs/start-conversation.md: | `code` | `Kind` | when |. */
function documentedCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const m of readFileSync(DOC, 'utf8').matchAll(/^\| `(\d{3}-\d{3})` \| `(\w+)` \| .+\|$/gm)) rows.set(m[2], m[1]);
  return rows;
}

/** Every `new AppError('Kind', …, …, { args })` and `super('Kind', …)` of src/, with the names its args give (undefined: not a literal). */
function raisedErrors(): { where: string; kind: string; args: string[] | undefined }[] {
  const files = (readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
    .map((f) => join(ROOT, 'src', f));
  const found: { where: string; kind: string; args: string[] | undefined }[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      const raised = (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') || (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword);
      const callArgs = raised ? (node as ts.NewExpression | ts.CallExpression).arguments : undefined;
      if (callArgs?.[0] && ts.isStringLiteral(callArgs[0])) {
        const given = callArgs[3];
        const literal = given === undefined || (ts.isObjectLiteralExpression(given) && given.properties.every((p) => p.name !== undefined));
        const names = given && ts.isObjectLiteralExpression(given) ? given.properties.map((p) => p.name!.getText(source)) : [];
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        found.push({ where: `${relative(ROOT, file)}:${line}`, kind: callArgs[0].text, args: literal ? names : undefined });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('error catalogue', () => {
  it('gives every kind a unique code whose prefix is its status', () => {
    const codes = ERROR_KINDS.map((k) => ERROR_CATALOGUE[k].code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const kind of ERROR_KINDS) expect(ERROR_CATALOGUE[kind].code.startsWith(`${ERROR_CATALOGUE[kind].status}-`)).toBe(true);
  });

  it('ships the four languages', () => {
    expect(LANGUAGES.sort()).toEqual(['de', 'en', 'es', 'fr']);
  });

  it.each(LANGUAGES)('has a message for every kind, and only for those, in %s', (language) => {
    const messages = messagesOf(language);
    const missing = ERROR_KINDS.filter((k) => typeof messages[k] !== 'string' || messages[k].trim() === '');
    const unknown = Object.keys(messages).filter((k) => !(k in ERROR_CATALOGUE));
    expect({ missing, unknown }).toEqual({ missing: [], unknown: [] });
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))('uses the same placeholders as English in %s', (language) => {
    const en = messagesOf('en');
    const messages = messagesOf(language);
    for (const kind of ERROR_KINDS) expect([kind, placeholders(messages[kind])]).toEqual([kind, placeholders(en[kind])]);
  });

  it('lists every kind with its code in the error table of docs/start-conversation.md', () => {
    const documented = documentedCodes();
    const wrong = ERROR_KINDS.filter((k) => documented.get(k) !== ERROR_CATALOGUE[k].code);
    // Ready-to-paste rows for whatever is missing or out of date.
    const rows = wrong.map((k) => `| \`${ERROR_CATALOGUE[k].code}\` | \`${k}\` | ${messagesOf('en')[k]} |`);
    expect(rows).toEqual([]);
  });

  it('gives every placeholder of a message a value wherever that kind is raised', () => {
    const en = messagesOf('en');
    const raised = raisedErrors();
    expect(raised.length).toBeGreaterThan(50);
    const unknown = raised.filter((r) => !(r.kind in ERROR_CATALOGUE)).map((r) => `${r.where} ${r.kind}`);
    const missing = raised
      .filter((r) => r.kind in ERROR_CATALOGUE)
      .map((r) => ({ ...r, lacking: r.args === undefined ? ['(args not a literal)'] : placeholders(en[r.kind]).filter((name) => !r.args!.includes(name)) }))
      .filter((r) => r.lacking.length > 0)
      .map((r) => `${r.where} ${r.kind}: ${r.lacking.join(', ')}`);
    expect({ unknown, missing }).toEqual({ unknown: [], missing: [] });
  });

  it('names only catalogue codes in the documentation, each with its own kind where a kind goes with it', () => {
    const kindOf = new Map(ERROR_KINDS.map((k) => [ERROR_CATALOGUE[k].code as string, k as string]));
    const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
    const wrong: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/\b(\d{3}-\d{3})\b/g)) if (!kindOf.has(m[1])) wrong.push(`${doc}: ${m[1]} is no code`);
      // `409-122` `AgentNotLoggedIn`, `404-102` (`ConversationNotFound`), `AgentNotLoggedIn` (409-122)
      for (const m of text.matchAll(/(\d{3}-\d{3})`?\s*\(?`(\w+)`/g)) if (m[2] in ERROR_CATALOGUE && kindOf.get(m[1]) !== m[2]) wrong.push(`${doc}: ${m[1]} is not ${m[2]}`);
      for (const m of text.matchAll(/`(\w+)`\s*\(`?(\d{3}-\d{3})/g)) if (m[1] in ERROR_CATALOGUE && kindOf.get(m[2]) !== m[1]) wrong.push(`${doc}: ${m[2]} is not ${m[1]}`);
    }
    expect(wrong).toEqual([]);
  });
});
