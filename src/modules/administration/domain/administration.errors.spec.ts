import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResourceAlreadyExists } from './administration.errors';

const english = JSON.parse(readFileSync(join(__dirname, '../../../i18n/en/errors.json'), 'utf8')) as Record<string, string>;
const interpolate = (template: string, args: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, name: string) => String(args[name]));

describe('ResourceAlreadyExists', () => {
  // Resources whose names start with a vowel read "a attribute definition" with a fixed article.
  it.each([
    ['attribute definition', 'name', 'another attribute definition already has this name', 'Another attribute definition already has this name.'],
    ['department', 'name', 'another department already has this name', 'Another department already has this name.'],
    ['user', 'username', 'another user already has this username', 'Another user already has this username.'],
  ])('%s: reads as English, in the developer and the user message', (resource, field, developerMessage, userMessage) => {
    const error = new ResourceAlreadyExists(resource, field);
    expect([error.developerMessage, error.details]).toEqual([developerMessage, field]);
    expect(interpolate(english.ResourceAlreadyExists, error.args)).toBe(userMessage);
  });
});
