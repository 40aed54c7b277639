// The file of the image on screen (issue 16, item 4). It is checked each time
// the image is selected, not only when the project opened: a file deleted or
// replaced meanwhile is noticed. The canvas loads the picture only once the
// check is in, from a URL that names the file's version (so a replaced file
// is not shown as Chromium decoded it before); a file that is missing or
// cannot be read leaves the canvas empty with a marker naming it, and its
// boxes are listed but not drawn over any picture.
import type { ImageFileCheck } from '@core/types';
import { projectApi } from '../egm';
import { isInstalled, workbench } from '../workbench/current';
import { app, type AppState } from './store';

/**
 * Whether, when asked later, the image is still the one on screen: the same
 * workbench (an answer after a test's teardown acts on nothing), the same
 * opening of a project (ids repeat across projects) and the same image.
 */
function stillShown(imageId: number): () => boolean {
  const wb = workbench();
  const project = app.get().project?.token;
  return () => isInstalled(wb) && app.get().project?.token === project && app.get().currentImageId === imageId;
}

/** Asks main about the image's file and shows the answer, if the image is still the one on screen. `deep`: the browser could not decode it (why?). */
export async function checkImageFile(imageId: number, deep = false): Promise<ImageFileCheck> {
  // The check is tagged for this project (main refuses it once another is open).
  const shown = stillShown(imageId);
  // A check that fails itself (main busy) must not keep the picture from loading: it is then taken as fine.
  const file = await projectApi()['images:checkFile']({ id: imageId, deep }).catch((): ImageFileCheck => ({ id: imageId, path: '', problem: null, version: null }));
  if (shown()) showFile(file);
  return file;
}

/** The browser could not decode the picture though the file is there: main says why, or it is said here. */
export async function pictureFailed(imageId: number): Promise<void> {
  const shown = stillShown(imageId);
  const file = await checkImageFile(imageId, true);
  if (file.problem === null && shown()) showFile({ ...file, problem: 'the picture could not be decoded' });
}

function showFile(file: ImageFileCheck): void {
  const missing = file.problem !== null;
  const images = app.get().images;
  const row = images.find((i) => i.id === file.id);
  app.set({
    imageFile: file,
    // The row says so too (its thumbnail gives way to an empty frame); the store's flag is refreshed when the project opens.
    ...(row && row.missing !== missing ? { images: images.map((i) => (i.id === file.id ? { ...i, missing } : i)) } : {}),
    ...(missing ? { phase: 'ready' as const, imageDrawn: false } : {}),
  });
}

/** The current image's file check, once it is in (null before). */
export function currentFile(s: AppState = app.get()): ImageFileCheck | null {
  return s.imageFile !== null && s.imageFile.id === s.currentImageId ? s.imageFile : null;
}

/** Why the current image's picture is not shown (missing, unreadable), or null. */
export function fileProblem(s: AppState = app.get()): string | null {
  return currentFile(s)?.problem ?? null;
}
