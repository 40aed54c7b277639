// The image list's file-name search, run in the page over the listed images
// (issue 18: a search through the store cost a list read and a re-render of
// every row per keystroke, 1.1 s at 20,000 images). The other filters still
// run in SQL (image-filters.ts); the search narrows what they listed, at each
// key, over names lower-cased once per list.
import type { ImageRecord } from '@core/types';

const lowered = new WeakMap<readonly ImageRecord[], string[]>();

/** The listed images' names in lower case, computed once per list. */
function lowerNames(images: readonly ImageRecord[]): string[] {
  let names = lowered.get(images);
  if (!names) {
    names = images.map((i) => i.fileName.toLowerCase());
    lowered.set(images, names);
  }
  return names;
}

/** The search as it is matched: trimmed, lower-cased ('' matches every name). */
export function searchNeedle(search: string): string {
  return search.trim().toLowerCase();
}

/** The images whose file name contains the search, case-insensitively, in list order (the list itself for a blank search). */
export function searchImages(images: readonly ImageRecord[], search: string): readonly ImageRecord[] {
  const needle = searchNeedle(search);
  if (needle === '') return images;
  const names = lowerNames(images);
  const out: ImageRecord[] = [];
  for (let i = 0; i < images.length; i++) if (names[i]!.includes(needle)) out.push(images[i]!);
  return out;
}
