/** Reads `.env` from the working directory when there is one; the environment wins over it. */
export function loadEnvFile(): void {
  try {
    process.loadEnvFile();
  } catch {
    // no .env: the environment alone configures the process
  }
}
