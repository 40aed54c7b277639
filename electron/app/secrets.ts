// The server API key, kept out of every settings file: encrypted with the OS
// keychain through Electron's safeStorage (Keychain on macOS, DPAPI on Windows,
// libsecret/kwallet on Linux) and written as an opaque blob in userData. Where
// no keychain is available the key lives in memory for this run only, rather
// than in plain text on disk.
import { safeStorage } from 'electron';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../grounding/secrets';

export function safeStorageSecrets(userDataDir: string, log: (line: string) => void): SecretStore {
  const file = join(userDataDir, 'server-api-key.bin');
  let memoryOnly: string | null = null;
  return {
    async get() {
      if (memoryOnly !== null) return memoryOnly;
      if (!existsSync(file) || !safeStorage.isEncryptionAvailable()) return null;
      try {
        return safeStorage.decryptString(await readFile(file));
      } catch (err) {
        log(`egm: cannot decrypt the stored API key (${(err as Error).message}); set it again in the model panel`);
        return null;
      }
    },
    async set(value) {
      if (!value) {
        memoryOnly = null;
        await rm(file, { force: true });
        return;
      }
      if (!safeStorage.isEncryptionAvailable()) {
        log('egm: no OS keychain available; the API key is kept for this session only');
        memoryOnly = value;
        return;
      }
      memoryOnly = null;
      await writeFile(file, safeStorage.encryptString(value), { mode: 0o600 });
    },
  };
}
