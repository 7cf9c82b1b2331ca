/** The in-process caches of configuration that a change must drop (other processes wait for CONFIG_CACHE_TTL_MS). */
export abstract class ConfigurationCaches {
  abstract invalidate(): void;
}
