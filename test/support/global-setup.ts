import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The e2e suite runs the built processes; `npm test` builds first. */
export default function globalSetup(): void {
  if (!existsSync(join(__dirname, '..', '..', 'dist', 'src', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does) before the e2e tests');
  }
}
