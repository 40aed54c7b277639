// The image list's compact mode (issue 11): rows without thumbnails, so a
// long list shows more names at once. The reader's choice, kept across
// sessions in the workbench's prefs storage (localStorage in the app; a view
// preference, not project data).
import { useCallback, useState } from 'react';
import { workbench } from '../../workbench/current';

const KEY = 'egm.imageList.compact';

export function useCompactList(): [boolean, () => void] {
  const [compact, setCompact] = useState(() => workbench().prefs?.getItem(KEY) === '1');
  const toggle = useCallback(() => {
    setCompact((was) => {
      const now = !was;
      try {
        workbench().prefs?.setItem(KEY, now ? '1' : '0');
      } catch (err) {
        console.warn(`Image list: the compact setting is not kept (${String(err)})`);
      }
      return now;
    });
  }, []);
  return [compact, toggle];
}
