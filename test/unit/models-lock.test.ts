// The download lock: an empty lock file is a download starting (its pid not
// written yet), not a stale one, unless it has been empty for a while.
import { existsSync } from 'node:fs';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeLock } from '../../electron/models/lock';
import { tempDir } from '../helpers/store-temp';

describe('download lock', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('egm-lock-')));
  afterEach(() => cleanup());

  it('holds off while another run has created the lock but not yet written its pid', async () => {
    const path = join(dir, 'model.lock');
    await writeFile(path, '');
    await expect(takeLock(path)).rejects.toThrow(`another download into this folder is starting; lock ${path}`);
  });

  it('takes over an empty lock left long ago, and releases it', async () => {
    const path = join(dir, 'model.lock');
    await writeFile(path, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    const lock = await takeLock(path);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });
});
