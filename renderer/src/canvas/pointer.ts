// The canvas's one pointer state machine: pan, draw (visible or amodal),
// select, move and resize with 8 handles — annotations and the model proposal
// under review alike (same handles and drag rule: handles.ts; the proposal's
// store side: grounding/canvas/proposal-edit.ts) — and the point hint for the
// next query. Grounding goes first: a press that places the point, or (with
// the select tool) lands on the proposal under review, is not the
// annotations'; with R or A a drag always draws, and A with a proposal under
// review (no box selected) draws the proposal's amodal box. Of two handles
// under the pointer the nearer wins, a tie goes to the kind being edited (the
// box kind last drawn or dragged), and a tie at the image edge lets a drag
// past it (or Alt) take the amodal box (issue 18). During a gesture only
// previews change (scene.ts, redrawn directly); an annotation edit is
// committed as ONE undo step at pointer-up. Stage pixels in, no DOM:
// CanvasView and the test driver feed it the same way.
import { boxFromPoints, hitTest, panBy, stageToImage } from '@core/geometry';
import type { Annotation, Box, BoxKind, Point } from '@core/types';
import { drawProposalAmodal, finishProposal, grabProposal, placePoint, placesPoint, previewProposal, proposalCursor, proposalOnScreen, type PointMods, type ProposalDrag } from '../grounding/canvas/proposal-edit';
import { categoryColor, PROPOSAL_COLOR } from '@core/category-colors';
import { createBox, select, setAmodal } from '../state/annotate';
import { commitUpdate } from '../state/edits';
import { app, currentImage, notify, selectedAnnotations } from '../state/store';
import { fileProblem } from '../state/image-file';
import { view } from '../state/view';
import { gestureMove } from '../state/viewport-gesture';
import { boxView, isHidden, isLocked } from './box-view';
import { clampFor, CURSORS, dragged, draggedPart, handleUnder, settledBox, wholePixel, type Grab } from '../lib/handles';
import { currentScene, shown } from './scene';

/** The canvas layers the pointer asks to redraw. */
export type LayerName = 'boxes' | 'selection' | 'draft';

/** Shift, Alt, and Ctrl/⌘ (`mod`) held with a pointer event. */
export type Mods = PointMods;

type Mode =
  | { kind: 'idle' }
  | { kind: 'pan'; last: Point }
  | { kind: 'draw'; boxKind: BoxKind; start: Point; targetId: number | null; proposalId: number | null; startScreen: Point }
  | { kind: 'move'; start: Point; before: Annotation[]; part: BoxKind }
  | { kind: 'resize'; grab: Grab; start: Point; before: Annotation; last: Point }
  | { kind: 'proposal'; drag: ProposalDrag; last: Point };

interface Part {
  a: Annotation;
  part: BoxKind;
  box: Box;
}

function parts(list: Annotation[]): Part[] {
  const out: Part[] = [];
  for (const a of list) {
    out.push({ a, part: 'visible', box: a.visible });
    if (a.amodal) out.push({ a, part: 'amodal', box: a.amodal });
  }
  return out;
}

/** Whether the canvas may select and change this box: neither hidden nor locked. */
function editable(a: Annotation): boolean {
  const s = boxView.get();
  return !isHidden(a, s) && !isLocked(a, s);
}

export class PointerController {
  private mode: Mode = { kind: 'idle' };
  /** The box kind being edited: the one last drawn or dragged by a handle; ties between two handles go to it. */
  private editing: BoxKind = 'visible';

  constructor(private readonly redraw: (what: LayerName) => void) {}

  get busy(): boolean {
    return this.mode.kind !== 'idle';
  }

  private toImage(p: Point): Point {
    return stageToImage(p, view.get().vp);
  }

  /** A handle of the single selected annotation under the point. */
  private handleUnder(p: Point): { a: Annotation; grab: Grab & { handle: NonNullable<Grab['handle']> } } | null {
    const sel = selectedAnnotations();
    if (sel.length !== 1 || !editable(sel[0]!)) return null;
    const a = shown(sel[0]!);
    const grab = handleUnder(a, p, view.get().vp.scale, this.editing);
    return grab && { a, grab };
  }

  private partUnder(p: Point): Part | null {
    // Hidden and locked boxes are not the canvas's to pick (box-view.ts).
    return hitTest(parts(app.get().annotations.filter(editable).map(shown)), (x) => x.box, p, 3 / view.get().vp.scale);
  }

  /** Cursor for hovering (no button down). */
  cursorAt(screen: Point): string {
    const p = this.toImage(screen);
    const tool = app.get().tool;
    const grounding = proposalCursor(p, view.get().vp.scale, tool === 'select', this.editing);
    if (grounding) return grounding;
    if (view.get().spaceDown) return 'grab';
    if (tool !== 'select') return 'crosshair';
    const h = this.handleUnder(p);
    if (h) return CURSORS[h.grab.handle];
    return this.partUnder(p) ? 'move' : 'default';
  }

  down(screen: Point, button: number, mods: Mods): void {
    if (!currentImage()) return;
    // No picture to draw on or over (issue 16): its boxes are edited in the list.
    const missing = fileProblem();
    if (missing !== null) return notify(`The image's file cannot be shown (${missing}): its boxes are edited in the list`);
    if (button === 1 || (button === 0 && view.get().spaceDown)) {
      this.mode = { kind: 'pan', last: screen };
      return;
    }
    if (button !== 0) return;
    const p = this.toImage(screen);
    if (placesPoint(mods)) return placePoint(p);
    const tool = app.get().tool;
    // Handles and moves belong to the select tool: with a draw tool a drag draws, even from a
    // selected box's corner (issue 11) or inside the proposal under review (issue 18).
    const drag = tool === 'select' ? grabProposal(p, view.get().vp.scale, this.editing) : null;
    if (drag) {
      this.mode = { kind: 'proposal', drag, last: p };
      return;
    }
    const h = tool === 'select' ? this.handleUnder(p) : null;
    if (h) {
      this.mode = { kind: 'resize', grab: h.grab, start: p, before: h.a, last: p };
      return;
    }
    if (tool === 'select') return this.downSelect(screen, p, mods);
    const img = currentImage()!;
    const boxKind: BoxKind = tool === 'amodal' ? 'amodal' : 'visible';
    const start = wholePixel(clampFor(boxKind, p, img));
    let targetId: number | null = null;
    let proposalId: number | null = null;
    if (tool === 'amodal') {
      // The amodal box belongs to an object: the selected box, else the proposal under review, else the box pressed on.
      const { selection } = app.get();
      const proposal = selection.length === 0 ? proposalOnScreen() : null;
      if (proposal) proposalId = proposal.id;
      else targetId = selection.length === 1 ? selection[0]! : (this.partUnder(p)?.a.id ?? null);
      if (targetId === null && proposalId === null) return notify('Select a box first: the amodal box belongs to an object');
      if (targetId !== null) select([targetId]);
    }
    this.mode = { kind: 'draw', boxKind, start, targetId, proposalId, startScreen: screen };
  }

  private downSelect(screen: Point, p: Point, mods: Mods): void {
    const hit = this.partUnder(p);
    const { selection } = app.get();
    if (!hit) {
      if (!mods.shift) select([]);
      this.mode = { kind: 'pan', last: screen }; // dragging empty space pans
      return;
    }
    const id = hit.a.id;
    if (mods.shift) {
      select(selection.includes(id) ? selection.filter((x) => x !== id) : [...selection, id]);
      return;
    }
    if (!selection.includes(id)) select([id]);
    const before = app.get().annotations.filter((a) => app.get().selection.includes(a.id) && editable(a));
    this.mode = { kind: 'move', start: p, before, part: before.length === 1 ? hit.part : 'visible' };
  }

  /**
   * The pointer moved: moves the gesture in progress, and with none returns
   * the cursor for hovering there (null while a gesture runs). Keeps the image
   * point under the pointer in the store for the status bar.
   */
  move(screen: Point, mods: Mods): string | null {
    const cursor = this.busy ? null : this.cursorAt(screen);
    this.drag(screen, mods);
    const { vp } = view.get();
    const at: [number, number] = [Math.round((screen[0] - vp.x) / vp.scale), Math.round((screen[1] - vp.y) / vp.scale)];
    // While panning the image point under the pointer stays put: no store update, no status-bar render.
    const was = app.get().cursor;
    if (!was || was[0] !== at[0] || was[1] !== at[1]) app.set({ cursor: at });
    return cursor;
  }

  private drag(screen: Point, mods: Mods): void {
    const m = this.mode;
    const img = currentImage();
    if (m.kind === 'idle' || !img) return;
    if (m.kind === 'pan') {
      if (screen[0] === m.last[0] && screen[1] === m.last[1]) return; // a click is no pan: a fitted view stays fitted
      gestureMove();
      view.set({ vp: panBy(view.get().vp, screen[0] - m.last[0], screen[1] - m.last[1]) });
      m.last = screen;
      return;
    }
    const p = this.toImage(screen);
    if (m.kind === 'proposal') {
      m.last = p;
      return previewProposal(m.drag, dragged(m.drag.before, m.drag.grab, m.drag.start, p, img, mods.alt, m.drag.amodalOnly));
    }
    if (m.kind === 'draw') {
      const box = boxFromPoints(m.start, wholePixel(clampFor(m.boxKind, p, img)));
      const target = m.targetId === null ? null : app.get().annotations.find((a) => a.id === m.targetId);
      currentScene().draft = { kind: m.boxKind, box, color: m.proposalId !== null ? PROPOSAL_COLOR : target ? categoryColor(target.categoryId) : '#ffffff' };
      this.redraw('draft');
      return;
    }
    const { preview } = currentScene();
    if (m.kind === 'move') for (const a of m.before) preview.set(a.id, dragged(a, { part: m.part, handle: null }, m.start, p, img, mods.alt));
    else {
      m.last = p;
      preview.set(m.before.id, dragged(m.before, m.grab, m.start, p, img, mods.alt));
    }
    this.redraw('selection');
  }

  up(screen: Point, mods: Mods): void {
    const m = this.mode;
    this.mode = { kind: 'idle' };
    const img = currentImage();
    if (!img) return;
    if (m.kind === 'proposal') {
      if (m.drag.grab.handle) this.editing = m.drag.amodalOnly ? 'amodal' : draggedPart(m.drag.grab, m.last, img, mods.alt).part;
      return finishProposal(m.drag);
    }
    if (m.kind === 'draw') {
      const box = currentScene().draft?.box ?? null;
      currentScene().draft = null;
      this.redraw('draft');
      const tiny = Math.abs(screen[0] - m.startScreen[0]) < 3 || Math.abs(screen[1] - m.startScreen[1]) < 3;
      if (!box || tiny) {
        // A click with a drawing tool selects what is under it.
        const hit = this.partUnder(this.toImage(screen));
        if (m.boxKind === 'visible') select(hit ? [hit.a.id] : []);
        return;
      }
      this.editing = m.boxKind;
      if (m.boxKind === 'visible') createBox(box);
      else if (m.proposalId !== null) drawProposalAmodal(box, mods.alt);
      else if (m.targetId !== null) setAmodal(m.targetId, box, mods.alt);
      return;
    }
    if (m.kind === 'resize') this.editing = draggedPart(m.grab, m.last, img, mods.alt).part;
    if (m.kind === 'move' || m.kind === 'resize') {
      const before = m.kind === 'move' ? m.before : [m.before];
      const after = before.map((a) => {
        const p = currentScene().preview.get(a.id) ?? a;
        return { ...p, visible: settledBox(p.visible, img), amodal: p.amodal && settledBox(p.amodal, img, 'amodal') };
      });
      currentScene().preview.clear();
      commitUpdate(m.kind === 'move' ? 'Move box' : 'Resize box', before, after);
      this.redraw('selection');
    }
  }

  cancel(): void {
    this.mode = { kind: 'idle' };
    currentScene().draft = null;
    currentScene().preview.clear();
    this.redraw('draft');
    this.redraw('selection');
  }
}
