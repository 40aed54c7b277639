// The image on screen's "not in this image" phrases (issue 11), as the side
// panel lists them: an edit step's negative changes (mark absent, record,
// remove, and their undo and redo) applied to the list. Pure.
import type { Change } from '@core/history';
import { recordsAfter } from './records-after';
import type { Negative } from '@core/negatives';

/** The list after the changes; changes on another image leave it as it is. */
export function negativesAfter(list: readonly Negative[], imageId: number | null, changes: readonly Change<Negative>[]): Negative[] {
  return recordsAfter(list, changes, (n) => n.imageId === imageId);
}
