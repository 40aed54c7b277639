// The canvas's pointer state machine: pan, draw (visible or amodal), select,
// move, resize with 8 handles. During a gesture only previews change (scene.ts,
// redrawn directly); the edit is committed as ONE undo step at pointer-up.
import { moveObject, resizeObject } from '../../../electron/core/box-edit';
import { boxFromPoints, clampBox, clampPoint, handleAt, hitTest, normalizeBox, panBy, roundBox, stageToImage, type Handle } from '../../../electron/core/geometry';
import type { Annotation, Box, BoxKind, Point } from '../../../electron/core/types';
import { createBox, select, setAmodal } from '../state/annotate';
import { commitUpdate } from '../state/edits';
import { app, currentImage, notify, selectedAnnotations } from '../state/store';
import { view } from '../state/view';
import { gestureMove } from '../state/viewport-gesture';
import { HANDLE_PX } from './draw';
import { currentScene, shown } from './scene';

/** The canvas layers the pointer asks to redraw. */
export type LayerName = 'boxes' | 'selection' | 'draft';

export interface Mods {
  shift: boolean;
  alt: boolean;
}

type Mode =
  | { kind: 'idle' }
  | { kind: 'pan'; last: Point }
  | { kind: 'draw'; boxKind: BoxKind; start: Point; targetId: number | null; startScreen: Point }
  | { kind: 'move'; start: Point; before: Annotation[]; part: BoxKind }
  | { kind: 'resize'; handle: Handle; part: BoxKind; before: Annotation };

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

export const CURSORS: Record<Handle, string> = { nw: 'nwse-resize', se: 'nwse-resize', ne: 'nesw-resize', sw: 'nesw-resize', n: 'ns-resize', s: 'ns-resize', e: 'ew-resize', w: 'ew-resize' };

export class PointerController {
  private mode: Mode = { kind: 'idle' };

  constructor(private readonly redraw: (what: LayerName) => void) {}

  get busy(): boolean {
    return this.mode.kind !== 'idle';
  }

  private toImage(p: Point): Point {
    return stageToImage(p, view.get().vp);
  }

  /** A handle of the single selected annotation under the point. */
  private handleUnder(p: Point): { a: Annotation; part: BoxKind; handle: Handle } | null {
    const sel = selectedAnnotations();
    if (sel.length !== 1) return null;
    const a = shown(sel[0]!);
    const r = HANDLE_PX / view.get().vp.scale;
    const hv = handleAt(a.visible, p, r);
    if (hv) return { a, part: 'visible', handle: hv };
    const ha = a.amodal && handleAt(a.amodal, p, r);
    return ha ? { a, part: 'amodal', handle: ha } : null;
  }

  private partUnder(p: Point): Part | null {
    return hitTest(parts(app.get().annotations.map(shown)), (x) => x.box, p, 3 / view.get().vp.scale);
  }

  /** Cursor for hovering (no button down). */
  cursorAt(screen: Point): string {
    if (view.get().spaceDown) return 'grab';
    const p = this.toImage(screen);
    const h = this.handleUnder(p);
    if (h) return CURSORS[h.handle];
    const tool = app.get().tool;
    if (tool !== 'select') return 'crosshair';
    return this.partUnder(p) ? 'move' : 'default';
  }

  down(screen: Point, button: number, mods: Mods): void {
    if (!currentImage()) return;
    if (button === 1 || (button === 0 && view.get().spaceDown)) {
      this.mode = { kind: 'pan', last: screen };
      return;
    }
    if (button !== 0) return;
    const p = this.toImage(screen);
    const tool = app.get().tool;
    const h = this.handleUnder(p);
    if (h && tool !== 'amodal') {
      this.mode = { kind: 'resize', handle: h.handle, part: h.part, before: h.a };
      return;
    }
    if (tool === 'select') return this.downSelect(screen, p, mods);
    const img = currentImage()!;
    const start = clampPoint(p, img.width, img.height);
    let targetId: number | null = null;
    if (tool === 'amodal') {
      const { selection } = app.get();
      targetId = selection.length === 1 ? selection[0]! : (this.partUnder(p)?.a.id ?? null);
      if (targetId === null) return notify('Select a box first: the amodal box belongs to an object');
      select([targetId]);
    }
    this.mode = { kind: 'draw', boxKind: tool === 'amodal' ? 'amodal' : 'visible', start, targetId, startScreen: screen };
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
    const before = app.get().annotations.filter((a) => app.get().selection.includes(a.id));
    this.mode = { kind: 'move', start: p, before, part: before.length === 1 ? hit.part : 'visible' };
  }

  move(screen: Point, mods: Mods): void {
    const m = this.mode;
    const img = currentImage();
    if (m.kind === 'idle' || !img) return;
    if (m.kind === 'pan') {
      gestureMove();
      view.set({ vp: panBy(view.get().vp, screen[0] - m.last[0], screen[1] - m.last[1]) });
      m.last = screen;
      return;
    }
    const p = this.toImage(screen);
    if (m.kind === 'draw') {
      const box = boxFromPoints(m.start, clampPoint(p, img.width, img.height));
      const target = m.targetId === null ? null : app.get().annotations.find((a) => a.id === m.targetId);
      currentScene().draft = { kind: m.boxKind, box, color: target?.color ?? '#ffffff' };
      this.redraw('draft');
      return;
    }
    if (m.kind === 'move') {
      const dx = p[0] - m.start[0];
      const dy = p[1] - m.start[1];
      for (const a of m.before) currentScene().preview.set(a.id, moveObject(a, m.part, dx, dy, img.width, img.height, mods.alt));
    } else {
      currentScene().preview.set(m.before.id, resizeObject(m.before, m.part, m.handle, clampPoint(p, img.width, img.height), mods.alt));
    }
    this.redraw('selection');
  }

  up(screen: Point, mods: Mods): void {
    const m = this.mode;
    this.mode = { kind: 'idle' };
    const img = currentImage();
    if (!img) return;
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
      if (m.boxKind === 'visible') createBox(box);
      else if (m.targetId !== null) setAmodal(m.targetId, box, mods.alt);
      return;
    }
    if (m.kind === 'move' || m.kind === 'resize') {
      const before = m.kind === 'move' ? m.before : [m.before];
      const after = before.map((a) => {
        const p = currentScene().preview.get(a.id) ?? a;
        const fix = (b: Box) => roundBox(clampBox(normalizeBox(b), img.width, img.height));
        return { ...p, visible: fix(p.visible), amodal: p.amodal && fix(p.amodal) };
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
