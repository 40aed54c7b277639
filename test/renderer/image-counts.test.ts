// The image list's counts are derived (renderer/src/state/image-counts.ts):
// the rows as listed, plus the edits applied since, plus the review queue.
// Re-listing must not lose an edit made while the list was being read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageRecord } from '@core/types';
import { listWithEdits } from '../../renderer/src/state/image-counts';
import { refreshImages } from '../../renderer/src/state/project';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png', 'chelsea.png'], boxes: [{ image: 1, visible: [5, 5, 40, 40] }] });
});
afterEach(() => tw.dispose());

describe('image counts', () => {
  it('are the listed counts until an edit, then follow it without touching the listed rows', async () => {
    expect(tw.rows().map((r) => r.annotationCount)).toEqual([0, 1]);
    tw.keyDown('r').drag(tw.stage(10, 10), tw.stage(60, 60));
    expect(tw.row(0).annotationCount).toBe(1);
    expect(tw.app.images[0]!.annotationCount).toBe(0); // derived: the listed row keeps what the store said
    await tw.settled();
    await tw.track(refreshImages()).settled();
    expect(tw.app.countDelta).toEqual({});
    expect(tw.rows().map((r) => r.annotationCount)).toEqual([1, 1]);
  });

  it('an edit made while the list is read is not lost: the list is read again', async () => {
    let reads = 0;
    const list = async (): Promise<ImageRecord[]> => {
      reads++;
      const answer = await tw.main.api['images:list']({});
      if (reads === 1) tw.keyDown('r').drag(tw.stage(10, 10), tw.stage(60, 60)); // lands after this answer was read
      return answer;
    };
    const patch = await listWithEdits(list);
    expect(reads).toBe(2);
    tw.wb.app.setState(patch);
    expect(tw.row(0).annotationCount).toBe(1);
    await tw.settled();
    expect(await tw.stored(0)).toHaveLength(1);
  });
});
