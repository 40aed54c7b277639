// The image file check (state/image-file.ts, issue 16): its answer is shown
// only while the project it was asked in is still open. Ids repeat across
// projects, so an answer for image 1 of the project left must not stand for
// image 1 of the project opened since (its path, missing or not).
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkImageFile } from '../../renderer/src/state/image-file';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png'] });
});
afterEach(() => tw.dispose());

describe('image file check', () => {
  it('shows the answer for the image on screen of the project it was asked in', async () => {
    const id = tw.app.currentImageId!;
    tw.wb.app.setState({ imageFile: null });
    await checkImageFile(id);
    expect(tw.app.imageFile).toMatchObject({ id, problem: null });
    expect(tw.app.imageFile!.path).toMatch(/coffee\.png$/);
  });

  it('drops an answer that arrives after another project opened, though its image has the same id', async () => {
    const id = tw.app.currentImageId!;
    tw.wb.app.setState({ imageFile: null });
    const check = checkImageFile(id);
    // Another project opens meanwhile, and shows its own image of that id (as loadProject does).
    const other = await tw.main.ok('project:create', { path: join(tw.main.dir, 'other.egm') });
    tw.wb.app.setState({ project: other, currentImageId: id });
    await check;
    expect(tw.app.imageFile).toBeNull();
  });
});
