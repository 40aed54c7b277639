// The server API keys, kept out of every settings file: encrypted with the OS
// keychain through Electron's safeStorage, or — where that is only basic_text
// obfuscation or absent — in memory for the session (the logic and what it
// promises: grounding/keychain-secrets.ts; this file only hands it safeStorage).
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { keychainSecretStore } from '../grounding/keychain-secrets';
import type { SecretStore } from '../grounding/secrets';

export function safeStorageSecrets(userDataDir: string, log: (line: string) => void): SecretStore {
  return keychainSecretStore(safeStorage, join(userDataDir, 'server-api-key.bin'), log);
}
