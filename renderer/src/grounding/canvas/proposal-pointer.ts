// Pointer input that belongs to grounding, offered before the workbench's own
// pointer controller: placing the point hint (point tool T, or Ctrl/⌘-click,
// or Shift+Alt-click), and dragging the handles (or the inside) of the
// proposal under review to correct it before accepting. The edit lives in the
// grounding store until Enter accepts it (proposals:accept with the boxes).
import { moveObject, resizeObject, type TwoBoxes } from '../../../../electron/core/box-edit';
import { clampBox, clampPoint, containsPoint, handleAt, normalizeBox, roundBox, stageToImage, type Handle } from '../../../../electron/core/geometry';
import type { Box, BoxKind, Point } from '../../../../electron/core/types';
import { HANDLE_PX } from '../../canvas/draw';
import { CURSORS } from '../../canvas/pointer';
import { currentImage } from '../../state/store';
import { view } from '../../state/view';
import { proposalBoxes } from '../../../../electron/core/grounding-ui';
import { activeProposal, grounding, type ProposalEdit } from '../store';

export interface GroundMods {
  shift: boolean;
  alt: boolean;
  /** Ctrl or ⌘. */
  mod: boolean;
}

interface Drag {
  id: number;
  part: BoxKind;
  handle: Handle | null;
  start: Point;
  before: TwoBoxes;
  /** The proposal has only an amodal box: it is edited in the `visible` slot and mapped back. */
  amodalOnly: boolean;
  /** The edit before this gesture (undefined: none), put back when the gesture changed nothing (a click). */
  prior: ProposalEdit | undefined;
}

function toImage(screen: Point): Point {
  return stageToImage(screen, view.get().vp);
}

function editable(e: ProposalEdit): { boxes: TwoBoxes; amodalOnly: boolean } | null {
  if (e.visible) return { boxes: { visible: e.visible, amodal: e.amodal }, amodalOnly: false };
  if (e.amodal) return { boxes: { visible: e.amodal, amodal: null }, amodalOnly: true };
  return null;
}

function editOf(b: TwoBoxes, amodalOnly: boolean): ProposalEdit {
  return amodalOnly ? { visible: null, amodal: b.visible } : { visible: b.visible, amodal: b.amodal };
}

export class ProposalPointer {
  private drag: Drag | null = null;

  get busy(): boolean {
    return this.drag !== null;
  }

  private activeHere() {
    const p = activeProposal();
    const img = currentImage();
    return p && img && p.imageId === img.id ? p : null;
  }

  private hit(screen: Point): { id: number; part: BoxKind; handle: Handle | null; e: NonNullable<ReturnType<typeof editable>> } | null {
    const p = this.activeHere();
    const e = p && editable(proposalBoxes(p, grounding.get().edits[p.id]));
    if (!p || !e) return null;
    const pt = toImage(screen);
    const r = HANDLE_PX / view.get().vp.scale;
    const hv = handleAt(e.boxes.visible, pt, r);
    if (hv) return { id: p.id, part: 'visible', handle: hv, e };
    const ha = e.boxes.amodal && handleAt(e.boxes.amodal, pt, r);
    if (ha) return { id: p.id, part: 'amodal', handle: ha, e };
    return containsPoint(e.boxes.visible, pt) ? { id: p.id, part: 'visible', handle: null, e } : null;
  }

  /** Cursor over the canvas when grounding has a say, else null. */
  cursorAt(screen: Point): string | null {
    if (grounding.get().pointTool) return 'crosshair';
    const h = this.hit(screen);
    return h ? (h.handle ? CURSORS[h.handle] : 'move') : null;
  }

  /** Returns true when grounding took the gesture (the workbench's pointer must not see it). */
  down(screen: Point, button: number, mods: GroundMods): boolean {
    const img = currentImage();
    if (button !== 0 || !img || view.get().spaceDown) return false;
    if (grounding.get().pointTool || mods.mod || (mods.shift && mods.alt)) {
      const p = clampPoint(toImage(screen), img.width, img.height);
      grounding.set({ point: [Math.round(p[0]), Math.round(p[1])], pointTool: false });
      return true;
    }
    const h = this.hit(screen);
    if (!h) return false;
    this.drag = { id: h.id, part: h.part, handle: h.handle, start: toImage(screen), before: h.e.boxes, amodalOnly: h.e.amodalOnly, prior: grounding.get().edits[h.id] };
    return true;
  }

  move(screen: Point, mods: GroundMods): void {
    const d = this.drag;
    const img = currentImage();
    if (!d || !img) return;
    const p = toImage(screen);
    const next = d.handle
      ? resizeObject(d.before, d.part, d.handle, clampPoint(p, img.width, img.height), mods.alt)
      : moveObject(d.before, d.part, p[0] - d.start[0], p[1] - d.start[1], img.width, img.height, mods.alt);
    this.write(d, next);
  }

  up(): void {
    const d = this.drag;
    this.drag = null;
    const img = currentImage();
    const e = d && grounding.get().edits[d.id];
    if (!d || !img || !e) return;
    const fix = (b: Box) => roundBox(clampBox(normalizeBox(b), img.width, img.height));
    const final: ProposalEdit = { visible: e.visible && fix(e.visible), amodal: e.amodal && fix(e.amodal) };
    const { [d.id]: _, ...others } = grounding.get().edits;
    const unchanged = JSON.stringify(final) === JSON.stringify(d.prior ?? editOf(d.before, d.amodalOnly));
    if (unchanged) grounding.set({ edits: d.prior ? { ...others, [d.id]: d.prior } : others });
    else grounding.set({ edits: { ...others, [d.id]: final } });
  }

  cancel(): void {
    this.drag = null;
  }

  private write(d: Drag, next: TwoBoxes): void {
    grounding.set({ edits: { ...grounding.get().edits, [d.id]: editOf(next, d.amodalOnly) } });
  }
}
