// Where the server API key lives. The app implements SecretStore with Electron
// safeStorage (electron/app/, the only place that may import 'electron'); the
// CLI and tests use envSecretStore, which reads an environment variable and
// keeps anything set at runtime in memory only — never in a settings file.

export interface SecretStore {
  /** The key, or null when none is stored. */
  get(): Promise<string | null>;
  /** Stores the key; null or '' clears it. */
  set(value: string | null): Promise<void>;
}

export function envSecretStore(env: NodeJS.ProcessEnv, variable: string): SecretStore {
  let override: string | null | undefined;
  return {
    async get() {
      if (override !== undefined) return override;
      const value = env[variable];
      return value ? value : null;
    },
    async set(value) {
      override = value ? value : null;
    },
  };
}
