// Where server API keys live, and whose they are. The app keeps them with
// Electron safeStorage (keychain-secrets.ts, wired in electron/app/ — the only
// place that may import 'electron'); the CLI and tests use envSecretStore,
// which reads an environment variable and keeps anything set at runtime in
// memory only — never in a settings file.
//
// A key belongs to the server it was given for: ServerKeys files each key
// under its server's origin (scheme, host, port), so pointing the app at
// another server never sends it there; that server needs its own key.
import type { KeyStorage } from '@core/types';

export type { KeyStorage };

export interface SecretStore {
  /** The stored secret, or null when none is stored. */
  get(): Promise<string | null>;
  /** Stores the secret; null or '' clears it. */
  set(value: string | null): Promise<void>;
  /** How the secret is kept. */
  storage(): KeyStorage;
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
    storage: () => ({ persistent: false, backend: 'environment', message: `keys set here are kept in memory for this run; ${variable} is read from the environment` }),
  };
}

/** The origin a key belongs to: scheme, host and port of the server URL. */
export function originOf(baseUrl: string): string {
  try {
    return new URL(baseUrl.trim()).origin;
  } catch {
    throw new Error(`server URL is not a valid URL: '${baseUrl}'`);
  }
}

const FORMAT = 'egm-server-keys-1';

/**
 * API keys by server origin, kept together as one secret (JSON) in a
 * SecretStore. A secret from before keys had origins (a bare key) is filed
 * under `legacyOrigin` — the server that was saved with it — or dropped.
 */
export class ServerKeys {
  #keys: Promise<Map<string, string>> | null = null;

  constructor(
    private readonly store: SecretStore,
    private readonly legacyOrigin: string | null = null,
  ) {}

  async get(origin: string): Promise<string | null> {
    return (await this.#load()).get(origin) ?? null;
  }

  /** Stores (or with null/'' forgets) the key of one origin; the others stay. */
  async set(origin: string, key: string | null): Promise<void> {
    const keys = new Map(await this.#load());
    if (key) keys.set(origin, key);
    else keys.delete(origin);
    await this.store.set(keys.size ? JSON.stringify({ format: FORMAT, keys: Object.fromEntries(keys) }) : null);
    this.#keys = Promise.resolve(keys);
  }

  /** Origins that have a key (not the keys). */
  async origins(): Promise<string[]> {
    return [...(await this.#load()).keys()];
  }

  #load(): Promise<Map<string, string>> {
    this.#keys ??= this.store.get().then((secret) => parseKeys(secret, this.legacyOrigin));
    return this.#keys;
  }
}

function parseKeys(secret: string | null, legacyOrigin: string | null): Map<string, string> {
  if (!secret) return new Map();
  try {
    const parsed = JSON.parse(secret) as { format?: unknown; keys?: Record<string, unknown> };
    if (parsed?.format === FORMAT && parsed.keys && typeof parsed.keys === 'object') {
      return new Map(Object.entries(parsed.keys).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    }
  } catch {
    // a bare key
  }
  return legacyOrigin ? new Map([[legacyOrigin, secret]]) : new Map();
}
