// What *Add images* and *Import COCO* say about the files they did not add
// (issue 18): every skipped file named, with its reason. "Already in the
// project" is counted on its own (re-adding a folder is common), so a
// truncated, empty or unreadable file is never hidden among those. Pure.
import type { Skipped } from '@core/types';

export const ALREADY_IN_PROJECT = 'already in the project';

/** The last part of a path ('/a/b/c.jpg' → 'c.jpg', 'C:\\x\\y.png' → 'y.png'); a COCO place ('images[3]') as it is. */
export function shortName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;
}

/** Files named in the status line; the rest are in the skipped-files dialog. */
const NAMED = 3;

/**
 * Whether a skipped file needs the user's attention: an image that could not
 * be read (truncated, empty, unreadable, a format not decoded), as opposed to
 * a file that is no image at all, a hidden file or a dangling link, which a
 * folder of a dataset holds by the thousand (annotation sidecars).
 */
export function needsAttention(s: Skipped): boolean {
  return !/^(not an image file|hidden file|link to nothing)/.test(s.reason);
}

export interface AddReport {
  /** The status bar's line. */
  text: string;
  /** The files that were not added for a reason other than being in the project already: the dialog lists them all. */
  problems: Skipped[];
  already: number;
}

export function addImagesReport(added: number, skipped: readonly Skipped[]): AddReport {
  const problems = skipped.filter((s) => s.reason !== ALREADY_IN_PROJECT);
  const already = skipped.length - problems.length;
  const parts = [`Added ${added} image${added === 1 ? '' : 's'}`];
  if (already > 0) parts.push(`${already} already in the project`);
  if (problems.length > 0) parts.push(skippedText(problems));
  return { text: parts.join('; '), problems, already };
}

/** "skipped 2: a.jpg (empty file), b.png (truncated)"; with more, the first three and "and N more (listed)". */
export function skippedText(problems: readonly Skipped[]): string {
  const named = problems.slice(0, NAMED).map((s) => `${shortName(s.path)} (${s.reason})`);
  const more = problems.length > NAMED ? ` and ${problems.length - NAMED} more (listed)` : '';
  return `skipped ${problems.length}: ${named.join(', ')}${more}`;
}
