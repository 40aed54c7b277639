// Annotation actions the tools, panels and commands call. Each is one undo step.
import { countColors, isOccluded, pickColor } from '@core/annotation-rules';
import { clampAmodalBox, clampBox, enforceAmodal, moveObjectBoxes, roundBox } from '@core/geometry';
import type { Annotation, Box } from '@core/types';
import { isHidden, isLocked } from '../canvas/box-view';
import { commit, commitUpdate } from './edits';
import { newLocalId } from './ids';
import { app, currentImage, notify, selectedAnnotations } from './store';

function nextColor(existing: Annotation[]): string {
  return pickColor(countColors(existing.map((a) => a.color)));
}

function newAnnotation(imageId: number, visible: Box, existing: Annotation[], from?: Partial<Annotation>): Annotation {
  const now = Date.now();
  return {
    categoryId: null,
    phrase: '',
    morePhrases: [],
    amodal: null,
    occluded: false,
    source: 'manual',
    model: null,
    score: null,
    reviewed: true,
    truncated: null,
    difficult: false,
    attributes: {},
    ...from,
    id: newLocalId(),
    imageId,
    visible,
    color: nextColor(existing),
    createdAt: now,
    updatedAt: now,
  };
}

export function createBox(visible: Box): void {
  const img = currentImage();
  if (!img) return;
  const a = newAnnotation(img.id, roundBox(clampBox(visible, img.width, img.height)), app.get().annotations);
  commit('Draw box', [{ type: 'create', after: a }], [a.id]);
}

/** Sets the amodal box of one annotation; it grows to contain the visible box unless `force` (Alt). */
export function setAmodal(id: number, amodal: Box, force: boolean): void {
  const img = currentImage();
  const a = app.get().annotations.find((x) => x.id === id);
  if (!img || !a) return;
  if (isLocked(a)) return notify('The selected box is locked: unlock it to change it');
  const box = roundBox(clampAmodalBox(enforceAmodal(amodal, a.visible, force), img.width, img.height));
  commitUpdate('Set amodal box', [a], [{ ...a, amodal: box, occluded: a.occluded || isOccluded(a.visible, box) }]);
}

/** The selected boxes an edit may change: locked ones (canvas/box-view.ts) are left as they are, with a notice. */
function changeableSelection(): Annotation[] {
  const sel = selectedAnnotations();
  const open = sel.filter((a) => !isLocked(a));
  if (open.length < sel.length) notify(open.length === 0 ? 'The selected box is locked: unlock it to change it' : `${sel.length - open.length} locked box${sel.length - open.length > 1 ? 'es' : ''} left unchanged`);
  return open;
}

export function patchSelected(label: string, patch: (a: Annotation) => Partial<Annotation>): void {
  const before = changeableSelection();
  if (before.length === 0) return;
  commitUpdate(label, before, before.map((a) => ({ ...a, ...patch(a) })));
}

/**
 * Changes the given boxes (by id, as the inspector that edits them knows
 * them) as ONE undo step: a multi-selection takes a category, a flag or an
 * attribute at once (issue 18). Locked boxes are left as they are, with a notice.
 */
export function patchBoxes(label: string, ids: readonly number[], patch: (a: Annotation) => Partial<Annotation>): void {
  const wanted = new Set(ids);
  const boxes = app.get().annotations.filter((a) => wanted.has(a.id));
  const open = boxes.filter((a) => !isLocked(a));
  if (open.length < boxes.length) notify(`${boxes.length - open.length} locked box${boxes.length - open.length > 1 ? 'es' : ''} left unchanged`);
  if (open.length === 0) return;
  commitUpdate(label, open, open.map((a) => ({ ...a, ...patch(a) })));
}

/** A flag for every box: on for all of them, unless all have it already (then off for all). */
export function toggleFlag(label: string, flag: 'occluded' | 'reviewed' | 'difficult', boxes: readonly Annotation[]): void {
  const on = !boxes.every((a) => a[flag]);
  patchBoxes(label, boxes.map((a) => a.id), () => ({ [flag]: on }));
}

export function deleteSelected(): void {
  const sel = changeableSelection();
  if (sel.length === 0) return;
  commit(sel.length === 1 ? 'Delete box' : `Delete ${sel.length} boxes`, sel.map((a) => ({ type: 'delete' as const, before: a })), []);
}

/** Starts the amodal box as a copy of the visible one, ready to be resized. */
export function deriveAmodal(): void {
  patchSelected('Derive amodal box', (a) => ({ amodal: a.amodal ?? [...a.visible] }));
}

export function removeAmodal(): void {
  patchSelected('Remove amodal box', () => ({ amodal: null }));
}

export function nudgeSelected(dx: number, dy: number): void {
  const img = currentImage();
  if (!img) return;
  // The visible box stays in the image, the amodal box within its bound (it may be past the edge).
  patchSelected('Nudge', (a) => moveObjectBoxes(a.visible, a.amodal, dx, dy, img.width, img.height));
}

export function copySelected(): void {
  const sel = selectedAnnotations();
  if (sel.length === 0) return notify('Nothing selected to copy');
  app.set({ clipboard: sel });
  notify(`Copied ${sel.length} box${sel.length > 1 ? 'es' : ''}`);
}

/** Pastes the copied boxes onto the current image (same pixel positions, clamped). */
export function paste(): void {
  const img = currentImage();
  const { clipboard, annotations } = app.get();
  if (!img || clipboard.length === 0) return notify('Clipboard is empty');
  const created: Annotation[] = [];
  for (const c of clipboard) {
    const visible = roundBox(clampBox(c.visible, img.width, img.height));
    const amodal = c.amodal && roundBox(clampAmodalBox(c.amodal, img.width, img.height));
    created.push(newAnnotation(img.id, visible, [...annotations, ...created], { ...c, amodal, visible }));
  }
  commit(`Paste ${created.length} box${created.length > 1 ? 'es' : ''}`, created.map((a) => ({ type: 'create' as const, after: a })), created.map((a) => a.id));
}

export function select(ids: number[]): void {
  app.set({ selection: ids });
}

export function cycleSelection(step: 1 | -1): void {
  const { selection } = app.get();
  // Tab walks the boxes on the canvas: hidden ones are skipped (canvas/box-view.ts).
  const annotations = app.get().annotations.filter((a) => !isHidden(a));
  if (annotations.length === 0) return;
  const i = annotations.findIndex((a) => a.id === selection[0]);
  const next = annotations[(i + step + annotations.length) % annotations.length]!;
  select([next.id]);
}
