// Project and image navigation: open/create, add images, list, switch image,
// export/import COCO. Failures land in the error banner as one line.
import type { ImageRecord, ProjectInfo } from '@core/types';
import { refitIfFitted } from '../canvas/viewport';
import { egm, withoutMethodName } from '../egm';
import { askConfirm } from '../components/confirm';
import { forgetHideAndLock } from '../canvas/box-view';
import { history, saveQueue, storeEdit } from './edits';
import { guard } from './guard';
import { checkImageFile } from './image-file';
import { localId, resetIds } from './ids';
import { listedImages, listWithEdits } from './image-counts';
import { isFiltering, listRequest, NO_FILTERS, sameRequest } from '../lib/image-filters';
import { withNames } from './image-names';
import { shownImages } from './shown-images';
import { addImagesReport, needsAttention, skippedText } from '../lib/add-report';
import { app, currentImage, notify, type AppState } from './store';

/** The state patch for a freshly read image list: its rows and counts, and their names added to those known. */
function listPatch(images: ImageRecord[]): Pick<AppState, 'images' | 'countDelta' | 'imageNames'> {
  return { ...listedImages(images), imageNames: withNames(app.get().imageNames, images) };
}

async function loadProject(info: ProjectInfo): Promise<void> {
  // Edits still queued belong to the project they were made in (issue 16): the user agreed to
  // lose them (leaving()), and main would refuse them here anyway (they are tagged with its token).
  if (info.token !== app.get().project?.token) saveQueue.discard();
  history.clear();
  resetIds();
  forgetHideAndLock();
  // Filters name this project's categories: another project starts unfiltered (but for "Unreviewed only").
  // Copied boxes name this project's category ids: they are not pasted into another.
  app.set({ project: info, phase: 'loading', currentImageId: null, annotations: [], negatives: [], selection: [], imageDrawn: false, imageFile: null, error: null, imageFilters: NO_FILTERS, imageNames: {}, clipboard: [], skippedReport: null });
  const [images, categories, attributeKeys] = await Promise.all([
    egm()['images:list'](listRequest(NO_FILTERS, app.get().unreviewedOnly)),
    egm()['categories:list']({}),
    egm()['attributes:keys']({}),
  ]);
  app.set({ ...listPatch(images), categories, attributeKeys });
  if (images.length > 0) await selectImage(images[0]!.id);
  else app.set({ phase: 'ready' });
}

/** On start: the main process may already have a project open (last one, or the e2e harness's). */
export async function boot(): Promise<void> {
  // Counts and name shown in the top bar follow main's view of the project. Another
  // opening (a project being opened: main says so before it answers) is loadProject's to show.
  egm().on('project:changed', (info) => {
    if (info.token === app.get().project?.token) app.set({ project: info });
  });
  const info = await guard('Reading the open project', () => egm()['project:info']({}));
  if (info) await loadProject(info);
  else app.set({ phase: 'empty' });
}

/**
 * Opening or creating a project leaves the one open (issue 16): edits it has
 * not saved yet (on their way, or kept after a failure for Retry) would be
 * lost, so the user is asked first, told how many and why they wait. On
 * "Discard", `go` runs; they are dropped once another project has opened.
 */
function leaving(action: string, go: () => Promise<void>): Promise<void> {
  const { project, save } = app.get();
  const n = saveQueue.unsavedEdits();
  if (!project || n === 0) return go();
  const edits = n === 1 ? '1 edit' : `${n} edits`;
  const why = save.error ? ` (${withoutMethodName(save.error)})` : ' yet';
  askConfirm({
    text: `${edits} in ${project.name} ${n === 1 ? 'is' : 'are'} not saved${why}. ${action} anyway and lose ${n === 1 ? 'it' : 'them'}?`,
    confirmLabel: `Discard and ${action.charAt(0).toLowerCase()}${action.slice(1)}`,
    onConfirm: go,
  });
  return Promise.resolve();
}

/** A project file chosen in main's dialog, opened by `open`, once the one open may be left. */
function fromDialog(action: string, what: string, pick: () => Promise<string | null>, open: (path: string) => Promise<ProjectInfo>): Promise<void> {
  return leaving(action, async () => {
    await guard(what, async () => {
      const path = await pick();
      if (path) await loadProject(await open(path));
    });
  });
}

export function openProjectDialog(): Promise<void> {
  return fromDialog('Open another project', 'Opening the project', () => egm()['dialog:openProject']({}), (path) => egm()['project:open']({ path }));
}

export function createProjectDialog(): Promise<void> {
  return fromDialog('Create a new project', 'Creating the project', () => egm()['dialog:createProject']({}), (path) => egm()['project:create']({ path }));
}

export function openSample(): Promise<void> {
  return leaving('Open the sample project', async () => {
    await guard('Opening the sample project', async () => loadProject(await egm()['project:sample']({})));
  });
}

/** Reads the image list again, with the list's filters; queued edits land first, so the listed counts include them. */
export async function refreshImages(): Promise<void> {
  const request = currentListRequest();
  const listed = await listWithEdits(() => egm()['images:list'](request));
  // Filters changed while this list was read (typing in the search field): the newer list is on its way.
  if (!sameRequest(request, currentListRequest())) return;
  app.set(listPatch(listed.images));
  await showListedImage();
}

function currentListRequest() {
  const s = app.get();
  return listRequest(s.imageFilters, s.unreviewedOnly);
}

/**
 * The image on screen must be one the list shows (issue 11): when a filter or
 * a removal takes it out, the first listed image takes its place, and with
 * none listed the canvas is emptied (no boxes of an image no longer listed).
 */
export async function showListedImage(): Promise<void> {
  const { currentImageId } = app.get();
  const images = shownImages();
  if (currentImageId === null ? images.length === 0 : images.some((i) => i.id === currentImageId)) return;
  if (images[0]) await selectImage(images[0].id);
  else app.set({ currentImageId: null, annotations: [], negatives: [], selection: [], imageDrawn: false, imageFile: null, phase: 'ready' });
}

export async function addImagesDialog(): Promise<void> {
  await guard('Adding images', async () => {
    const paths = await egm()['dialog:pickImages']({});
    if (paths.length === 0) return;
    // Total 0 until main has listed the folders (the bar runs without a value meanwhile).
    app.set({ progress: { label: 'Adding', done: 0, total: 0, current: '' } });
    const off = egm().on('images:progress', (p) => app.set({ progress: { ...p, label: 'Adding' } }));
    try {
      const res = await egm()['images:add']({ paths });
      await refreshImages();
      // Issue 18: every skipped file named with its reason; those already in the project counted apart.
      const report = addImagesReport(res.added.length, res.skipped);
      notify(report.text);
      // The list opens by itself when an image could not be read; files that are no images are only listed (status bar).
      const title = `${report.problems.length} file${report.problems.length === 1 ? '' : 's'} not added`;
      app.set({ skippedReport: report.problems.length > 0 ? { title, summary: report.text, files: report.problems, open: report.problems.some(needsAttention) } : null });
      if (app.get().currentImageId === null && res.added[0]) await selectImage(res.added[0].id);
    } finally {
      off();
      app.set({ progress: null });
    }
  });
}

export async function selectImage(imageId: number): Promise<void> {
  if (app.get().currentImageId === imageId) return;
  await showHiddenImage(imageId);
  app.set({ currentImageId: imageId, imageDrawn: false, imageFile: null, selection: [], annotations: [], negatives: [], phase: 'loading' });
  // Its file is checked now, not only when the project opened (issue 16): the canvas waits for the answer.
  void checkImageFile(imageId);
  await guard('Loading annotations', async () => {
    // Pending edits of the previous image must reach the store before we read this one back.
    await saveQueue.idle();
    const [list, negatives] = await Promise.all([egm()['annotations:list']({ imageId }), egm()['negatives:list']({ imageId })]);
    if (app.get().currentImageId !== imageId) return; // user moved on meanwhile
    app.set({ annotations: list.map((a) => ({ ...a, id: localId(a.id) })), negatives });
    refitIfFitted(); // an amodal box past the edge is shown whole (issue 18)
  });
}

/** Reads the image on screen's boxes and marks again (an import may have added some to it). */
async function reloadCurrentImage(): Promise<void> {
  const imageId = app.get().currentImageId;
  if (imageId === null) return;
  await saveQueue.idle();
  const [list, negatives] = await Promise.all([egm()['annotations:list']({ imageId }), egm()['negatives:list']({ imageId })]);
  if (app.get().currentImageId !== imageId) return;
  const annotations = list.map((a) => ({ ...a, id: localId(a.id) }));
  const live = new Set(annotations.map((a) => a.id));
  app.set({ annotations, negatives, selection: app.get().selection.filter((id) => live.has(id)) });
}

/**
 * An image the list's filters hide is asked for (the review queue's J, an
 * undo of an edit on it, an evaluation case): the filters are lifted first,
 * so it shows with its row instead of as boxes over an empty canvas.
 */
async function showHiddenImage(imageId: number): Promise<void> {
  const s = app.get();
  if (shownImages(s).some((i) => i.id === imageId) || !isFiltering(s.imageFilters, s.unreviewedOnly)) return;
  app.set({ imageFilters: NO_FILTERS, unreviewedOnly: false });
  const listed = await guard('Listing the images', () => listWithEdits(() => egm()['images:list']({})));
  if (listed) app.set(listPatch(listed.images));
  notify('Filters cleared to show the image');
}

export async function stepImage(delta: 1 | -1): Promise<void> {
  const images = shownImages();
  const cur = currentImage();
  const i = cur ? images.findIndex((x) => x.id === cur.id) : -1;
  const next = images[i + delta];
  if (next) await selectImage(next.id);
  else notify(delta > 0 ? 'Last image' : 'First image');
}

export async function toggleUnreviewed(): Promise<void> {
  app.set({ unreviewedOnly: !app.get().unreviewedOnly });
  await guard('Filtering images', refreshImages);
}

export async function markImageDone(): Promise<void> {
  const img = currentImage();
  if (!img) return;
  const status = img.status === 'done' ? 'in-progress' : 'done';
  const setStatus = (to: ImageRecord['status']) => app.set({ images: app.get().images.map((i) => (i.id === img.id ? { ...i, status: to } : i)) });
  setStatus(status);
  await storeEdit(`Mark ${img.fileName} ${status}`, (api) => api['images:setStatus']({ id: img.id, status }), () => setStatus(img.status));
}

export async function ensureCategory(name: string): Promise<number | null> {
  const trimmed = name.trim();
  if (!trimmed) return null;
  const cat = await guard('Saving the category', () => egm()['categories:ensure']({ name: trimmed }));
  if (!cat) return null;
  const cats = app.get().categories;
  if (!cats.some((c) => c.id === cat.id)) app.set({ categories: [...cats, cat] });
  return cat.id;
}

export async function importCocoDialog(): Promise<void> {
  await guard('Importing COCO', async () => {
    const path = await egm()['dialog:openCoco']({});
    if (!path) return;
    // The folder its file_name values are relative to (issue 9); cancelled: the JSON's own folder.
    const imagesDir = await egm()['dialog:pickImagesRoot']({});
    // Issue 18: a bar while the file is read and its images probed (16 s of "No images yet" before).
    app.set({ progress: { label: 'Importing COCO', done: 0, total: 0, current: '' } });
    const off = egm().on('images:progress', (p) => app.set({ progress: { ...p, label: 'Importing COCO' } }));
    let r;
    try {
      r = await egm()['coco:import']({ path, ...(imagesDir ? { imagesDir } : {}) });
    } finally {
      off();
      app.set({ progress: null });
    }
    // The file's categories are the project's now: box names, the strip and the category filter need them (issue 16, item 5).
    const [categories, attributeKeys] = await Promise.all([egm()['categories:list']({}), egm()['attributes:keys']({})]);
    app.set({ categories, attributeKeys });
    await refreshImages();
    await reloadCurrentImage();
    const text =
      `Imported ${r.annotations} annotations, ${r.images} images` +
      `${r.duplicates ? `; ${r.duplicates} already in the project, not added again` : ''}${r.skipped.length ? `; ${skippedText(r.skipped)}` : ''}`;
    notify(text);
    const title = `${r.skipped.length} entr${r.skipped.length === 1 ? 'y' : 'ies'} of the COCO file skipped`;
    app.set({ skippedReport: r.skipped.length > 0 ? { title, summary: text, files: r.skipped, open: true } : null });
  });
}
