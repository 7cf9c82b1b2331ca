import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The user-message catalogues, one folder per language (`src/i18n/<lang>/errors.json`, copied to `dist/src/i18n`). */
export const CATALOGUE_PATH = join(__dirname, '..', '..', 'i18n');

/**
 * The languages a catalogue ships for, sorted: what DEFAULT_LANGUAGE may name. Read at
 * start-up, before anything connects, so that a default language without messages is refused
 * with the other wrong settings rather than by the api alone, once its modules are built.
 */
export function catalogueLanguages(): string[] {
  try {
    return readdirSync(CATALOGUE_PATH, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
