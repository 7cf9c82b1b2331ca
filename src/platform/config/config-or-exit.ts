import { type AppConfig, ConfigurationError, validateEnv } from './app-config';

/**
 * For the entry points: a wrong setting ends the process at once, exit code 1, with a
 * plain message naming every wrong setting (no stack trace), before anything starts.
 */
export function configOrExit(env: Record<string, unknown> = process.env): AppConfig {
  try {
    return validateEnv(env);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
