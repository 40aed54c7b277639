// The app's SecretStore: Electron safeStorage (passed in, so this file imports
// no Electron and is tested with a fake) encrypting into one file in userData.
// What safeStorage really does depends on the platform: Keychain on macOS,
// DPAPI on Windows; on Linux libsecret or kwallet — or, with no keyring
// running, 'basic_text', which encrypts with a fixed password: plain text in
// all but name. So on basic_text (or with no encryption at all) a key is
// never written to disk: it lives in memory for the session, storage() says
// so, and the model panel offers a key from an environment variable instead.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import type { KeyStorage, SecretStore } from './secrets';

/** The part of Electron's safeStorage this needs. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

const ENV_HINT = "To keep a key across restarts, set it in an environment variable before starting the app and name that variable in the model panel's 'Key from environment variable' field.";

export function keychainStorage(crypto: SafeStorageLike, platform: NodeJS.Platform = process.platform): KeyStorage {
  if (!crypto.isEncryptionAvailable()) {
    return { persistent: false, backend: 'none', message: `No OS keychain is available: a key typed here is kept in memory for this session only. ${ENV_HINT}` };
  }
  if (platform !== 'linux') return { persistent: true, backend: platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : 'os', message: null };
  const backend = crypto.getSelectedStorageBackend?.() ?? 'unknown';
  if (backend === 'basic_text' || backend === 'unknown') {
    return {
      persistent: false,
      backend,
      message: `No keyring is running (Electron safeStorage backend '${backend}' only obfuscates): a key typed here is kept in memory for this session only, never written to disk. ${ENV_HINT}`,
    };
  }
  return { persistent: true, backend, message: null };
}

export function keychainSecretStore(crypto: SafeStorageLike, file: string, log: (line: string) => void, platform: NodeJS.Platform = process.platform): SecretStore {
  let memory: string | null = null;
  const storage = () => keychainStorage(crypto, platform);
  return {
    storage,
    async get() {
      if (memory !== null) return memory;
      if (!existsSync(file) || !crypto.isEncryptionAvailable()) return null;
      let value: string;
      try {
        value = crypto.decryptString(await readFile(file));
      } catch (err) {
        log(`egm: cannot decrypt the stored API key (${(err as Error).message.split('\n')[0]}); set it again in the model panel`);
        return null;
      }
      if (!storage().persistent) {
        // Written by an older version under basic_text: that file is the key in plain text, in effect.
        await rm(file, { force: true });
        log(`egm: the stored API key was only obfuscated on disk (safeStorage '${storage().backend}'); it is removed from disk and kept in memory for this session`);
        memory = value;
      }
      return value;
    },
    async set(value) {
      if (!value) {
        memory = null;
        await rm(file, { force: true });
        return;
      }
      const how = storage();
      if (!how.persistent) {
        memory = value;
        await rm(file, { force: true });
        log(`egm: API key kept in memory for this session only (safeStorage backend '${how.backend}')`);
        return;
      }
      memory = null;
      await writeFile(file, crypto.encryptString(value), { mode: 0o600 });
    },
  };
}
