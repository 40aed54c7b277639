// Whether a model file is already on disk whole: present with the size the
// manifest or the hub says. Downloads skip such files and resume around them.
import { stat } from 'node:fs/promises';

/** True when `path` exists with exactly `size` bytes; false when missing, unreadable or another size. */
export async function hasSize(path: string, size: number): Promise<boolean> {
  return stat(path).then(
    (s) => s.size === size,
    () => false,
  );
}
