// The app's API-key store over a fake safeStorage (issue 8, finding 11): a real
// keychain keeps the key encrypted on disk; Linux's 'basic_text' fallback (and
// no encryption at all) never writes it, says so, and points to an environment
// variable; a key an older version wrote under basic_text is taken off disk.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainSecretStore, keychainStorage, type SafeStorageLike } from '../../electron/grounding/keychain-secrets';

/** Reversible "encryption" that marks its output, like safeStorage's v10/v11 prefix. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(`enc:${Buffer.from(text).toString('base64')}`),
    decryptString: (data) => Buffer.from(data.toString().replace(/^enc:/, ''), 'base64').toString(),
    getSelectedStorageBackend: () => backend,
  };
}

let dir: string;
let file: string;
let logged: string[];
const log = (line: string) => logged.push(line);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'egm-keychain-'));
  file = join(dir, 'server-api-key.bin');
  logged = [];
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('keychain secret store', () => {
  it('with a real keyring (libsecret) the key is written encrypted and read back by the next run', async () => {
    const crypto = fakeSafeStorage('gnome_libsecret');
    await keychainSecretStore(crypto, file, log, 'linux').set('sk-kept');
    expect(readFileSync(file, 'utf8')).toMatch(/^enc:/);
    expect(readFileSync(file, 'utf8')).not.toContain('sk-kept');
    expect(await keychainSecretStore(crypto, file, log, 'linux').get()).toBe('sk-kept');
    expect(keychainStorage(crypto, 'linux')).toEqual({ persistent: true, backend: 'gnome_libsecret', message: null });
  });

  it("on basic_text the key never touches the disk, and storage() says so and offers an environment variable", async () => {
    const crypto = fakeSafeStorage('basic_text');
    const store = keychainSecretStore(crypto, file, log, 'linux');
    await store.set('sk-session');
    expect(existsSync(file)).toBe(false);
    expect(await store.get()).toBe('sk-session');
    expect(await keychainSecretStore(crypto, file, log, 'linux').get()).toBeNull(); // gone after a restart
    const storage = store.storage();
    expect(storage).toMatchObject({ persistent: false, backend: 'basic_text' });
    expect(storage.message).toMatch(/safeStorage backend 'basic_text' only obfuscates.*memory for this session only.*environment variable/);
    expect(logged).toEqual(["egm: API key kept in memory for this session only (safeStorage backend 'basic_text')"]);
  });

  it('a key an older version wrote under basic_text is read once, taken off disk, and kept for the session', async () => {
    const crypto = fakeSafeStorage('basic_text');
    writeFileSync(file, crypto.encryptString('sk-old'));
    const store = keychainSecretStore(crypto, file, log, 'linux');
    expect(await store.get()).toBe('sk-old');
    expect(existsSync(file)).toBe(false);
    expect(await store.get()).toBe('sk-old');
    expect(logged[0]).toMatch(/only obfuscated on disk .*removed from disk and kept in memory for this session/);
  });

  it('without encryption at all the key stays in memory; macOS and Windows use their keychains', async () => {
    const none = keychainSecretStore(fakeSafeStorage('unknown', false), file, log, 'linux');
    await none.set('sk-mem');
    expect(existsSync(file)).toBe(false);
    expect(await none.get()).toBe('sk-mem');
    expect(none.storage()).toMatchObject({ persistent: false, backend: 'none' });
    expect(keychainStorage(fakeSafeStorage('unknown'), 'darwin')).toEqual({ persistent: true, backend: 'keychain', message: null });
    expect(keychainStorage(fakeSafeStorage('unknown'), 'win32')).toEqual({ persistent: true, backend: 'dpapi', message: null });
  });

  it('clearing removes the file and the session copy', async () => {
    const crypto = fakeSafeStorage('kwallet5');
    const store = keychainSecretStore(crypto, file, log, 'linux');
    await store.set('sk-x');
    await store.set('');
    expect(existsSync(file)).toBe(false);
    expect(await store.get()).toBeNull();
  });
});
