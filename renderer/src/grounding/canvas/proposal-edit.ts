// The proposal under review as something the canvas pointer edits
// (canvas/pointer.ts), with the same handles and drag rule as an annotation
// (canvas/handles.ts), and the point hint a press can place (point tool T,
// Ctrl/⌘-click, or Shift+Alt-click). A dragged proposal's boxes live in the
// grounding store's `edits` until Enter accepts them (proposals:accept with
// the boxes); each drag that changed them, and an amodal box drawn for it
// with A, is one undo step (issue 18).
import type { TwoBoxes } from '@core/box-edit';
import { clampPoint, containsPoint, enforceAmodal } from '@core/geometry';
import { proposalBoxes } from '@core/grounding-ui';
import type { Box, BoxKind, Point, Proposal } from '@core/types';
import { CURSORS, handleUnder, settledBox, type Grab } from '../../lib/handles';
import { currentImage } from '../../state/store';
import { recordProposalEdit } from '../review';
import { activeProposal, grounding, type ProposalEdit } from '../store';

export interface PointMods {
  shift: boolean;
  alt: boolean;
  /** Ctrl or ⌘. */
  mod: boolean;
}

/** A drag of the proposal under review, from press to release. */
export interface ProposalDrag {
  id: number;
  grab: Grab;
  start: Point;
  before: TwoBoxes;
  /** The proposal has only an amodal box: it is edited in the `visible` slot and mapped back. */
  amodalOnly: boolean;
  /** The edit before this gesture (undefined: none), put back when the gesture changed nothing (a click). */
  prior: ProposalEdit | undefined;
}

function editable(e: ProposalEdit): { boxes: TwoBoxes; amodalOnly: boolean } | null {
  if (e.visible) return { boxes: { visible: e.visible, amodal: e.amodal }, amodalOnly: false };
  if (e.amodal) return { boxes: { visible: e.amodal, amodal: null }, amodalOnly: true };
  return null;
}

function editOf(b: TwoBoxes, amodalOnly: boolean): ProposalEdit {
  return amodalOnly ? { visible: null, amodal: b.visible } : { visible: b.visible, amodal: b.amodal };
}

/** Whether a press places the point hint for the next query instead of editing. */
export function placesPoint(mods: PointMods): boolean {
  return grounding.get().pointTool || mods.mod || (mods.shift && mods.alt);
}

/** Puts the point hint at image point p (whole pixels, inside the image); the point tool is done. */
export function placePoint(p: Point): void {
  const img = currentImage();
  if (!img) return;
  const q = clampPoint(p, img.width, img.height);
  grounding.set({ point: [Math.round(q[0]), Math.round(q[1])], pointTool: false });
}

/** The proposal under review when it is on the image on screen. */
export function proposalOnScreen(): Proposal | null {
  const pr = activeProposal();
  const img = currentImage();
  return pr && img && pr.imageId === img.id ? pr : null;
}

/**
 * What of the proposal under review (on this image) is under image point p: a
 * handle (the nearer one; a tie to `prefer`, the kind being edited), else its
 * visible box's inside.
 */
export function grabProposal(p: Point, scale: number, prefer: BoxKind = 'visible'): ProposalDrag | null {
  const pr = proposalOnScreen();
  if (!pr) return null;
  const prior = grounding.get().edits[pr.id];
  const e = editable(proposalBoxes(pr, prior));
  if (!e) return null;
  const h = handleUnder(e.boxes, p, scale, prefer);
  const grab: Grab | null = h ?? (containsPoint(e.boxes.visible, p) ? { part: 'visible', handle: null } : null);
  return grab && { id: pr.id, grab, start: p, before: e.boxes, amodalOnly: e.amodalOnly, prior };
}

/** Cursor over the canvas when grounding has a say (point tool; with the select tool, the proposal's handles or inside), else null. */
export function proposalCursor(p: Point, scale: number, selectTool: boolean, prefer: BoxKind = 'visible'): string | null {
  if (grounding.get().pointTool) return 'crosshair';
  if (!selectTool) return null;
  const d = grabProposal(p, scale, prefer);
  return d ? (d.grab.handle ? CURSORS[d.grab.handle] : 'move') : null;
}

/** Shows the proposal's boxes as dragged so far (its layer redraws from the store). */
export function previewProposal(d: ProposalDrag, next: TwoBoxes): void {
  grounding.set({ edits: { ...grounding.get().edits, [d.id]: editOf(next, d.amodalOnly) } });
}

/** Pointer-up: the dragged boxes as stored, one undo step (or the edit before, when the gesture changed nothing). */
export function finishProposal(d: ProposalDrag): void {
  const img = currentImage();
  const e = grounding.get().edits[d.id];
  const pr = grounding.get().queue.find((p) => p.id === d.id);
  if (!img || !e || !pr) return;
  const fix = { visible: e.visible && settledBox(e.visible, img), amodal: e.amodal && settledBox(e.amodal, img, 'amodal') };
  const { [d.id]: _, ...others } = grounding.get().edits;
  const unchanged = JSON.stringify(fix) === JSON.stringify(d.prior ?? editOf(d.before, d.amodalOnly));
  if (unchanged) {
    grounding.set({ edits: d.prior ? { ...others, [d.id]: d.prior } : others });
    return;
  }
  grounding.set({ edits: { ...others, [d.id]: fix } });
  recordProposalEdit(d.grab.handle ? 'Resize proposal box' : 'Move proposal', pr, d.prior, fix);
}

/**
 * A drawn with the proposal under review (issue 18): the box becomes its
 * amodal box, grown to contain the visible box unless `force` (Alt); it may
 * reach past the image edge, within the amodal bound. One undo step.
 */
export function drawProposalAmodal(box: Box, force: boolean): void {
  const pr = proposalOnScreen();
  const img = currentImage();
  if (!pr || !img) return;
  const prior = grounding.get().edits[pr.id];
  const { visible } = proposalBoxes(pr, prior);
  const amodal = settledBox(visible ? enforceAmodal(box, visible, force) : box, img, 'amodal');
  const after = { visible, amodal };
  grounding.set({ edits: { ...grounding.get().edits, [pr.id]: after } });
  recordProposalEdit('Draw proposal amodal box', pr, prior, after);
}
