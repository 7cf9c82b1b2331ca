import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** Reads `.env` from the working directory when there is one; the environment wins over it. */
export function loadEnvFile(): void {
  let text: string;
  try {
    text = readFileSync('.env', 'utf8');
  } catch {
    return; // no .env: the environment alone configures the process
  }
  // Into this module's `process.env` (not `process.loadEnvFile`, which writes to the real one
  // even where a test runner gives the code a copy of it).
  for (const [key, value] of Object.entries(parseEnv(text))) process.env[key] ??= value;
}
