// The image list's compact mode (issue 11): rows without thumbnails, so a
// long list shows more names at once. The reader's choice, kept across
// sessions in the renderer's own storage (a view preference, not project data).
import { useCallback, useState } from 'react';

const KEY = 'egm.imageList.compact';

function stored(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false; // storage denied (a sandboxed page): thumbnails, as by default
  }
}

export function useCompactList(): [boolean, () => void] {
  const [compact, setCompact] = useState(stored);
  const toggle = useCallback(() => {
    setCompact((was) => {
      const now = !was;
      try {
        globalThis.localStorage?.setItem(KEY, now ? '1' : '0');
      } catch (err) {
        console.warn(`Image list: the compact setting is not kept (${String(err)})`);
      }
      return now;
    });
  }, []);
  return [compact, toggle];
}
