// A folder the app cannot write, for tests of read-only projects: mode bits
// for a normal user; root ignores those, so there `chattr +i` (immutable).
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';

/** Makes a folder read-only; false when that is not possible here (root without chattr). */
export function lockFolder(folder: string): boolean {
  if (process.getuid?.() !== 0) {
    chmodSync(folder, 0o555);
    return true;
  }
  return spawnSync('chattr', ['+i', folder]).status === 0;
}

export function unlockFolder(folder: string): void {
  if (process.getuid?.() === 0) spawnSync('chattr', ['-i', folder]);
  else chmodSync(folder, 0o755);
}
