// A headless driver for the canvas's pointer state machine (after tldraw's
// TestEditor): pointer down/move/up in stage pixels, the real stores, undo
// history and autosave queue, window.egm replaced by a recording fake. It checks
// what one gesture leaves behind: ONE undo step, ONE store call, and which
// layers were redrawn while the pointer moved.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation, ImageRecord } from '@core/types';

// Renderer modules are loaded by computed paths so the Node-side typecheck does
// not pull DOM-typed code into its program; these are the parts used here.
interface Ctl {
  down(p: [number, number], button: number, mods: { shift: boolean; alt: boolean }): void;
  move(p: [number, number], mods: { shift: boolean; alt: boolean }): void;
  up(p: [number, number], mods: { shift: boolean; alt: boolean }): void;
}
interface Store<S> {
  getState(): S;
  setState(p: Partial<S>): void;
}
interface Hist {
  size: { undo: number; redo: number };
  canRedo: boolean;
  clear(): void;
}
const R = '../../renderer/src/';
let Pointer: new (redraw: (what: string) => void) => Ctl;
let useApp: Store<{ annotations: Annotation[]; selection: number[]; tool: string; images: ImageRecord[]; currentImageId: number | null }>;
let useView: Store<{ vp: { scale: number; x: number; y: number } }>;
let edits: { history: Hist; saveQueue: { idle(): Promise<void> }; undo(): Promise<void> };

const calls: { method: string; request: unknown }[] = [];
let nextId = 100;
const fakeEgm = new Proxy(
  {},
  {
    get: (_t, method: string) => async (request: Record<string, unknown>) => {
      calls.push({ method, request });
      if (method === 'annotations:create') return { ...request, id: nextId++, createdAt: 1, updatedAt: 1 };
      return {};
    },
  },
);

const image: ImageRecord = { id: 1, path: 'a.jpg', fileName: 'a.jpg', width: 400, height: 300, orientation: 1, status: 'in-progress', missing: false, annotationCount: 1, unreviewedCount: 0, proposalCount: 0 };
const box: Annotation = { id: 5, imageId: 1, categoryId: null, phrase: 'cup', morePhrases: [], visible: [10, 10, 50, 50], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true, color: '#4fc3f7', createdAt: 1, updatedAt: 1 };
const other: Annotation = { ...box, id: 6, visible: [200, 200, 240, 260], color: '#ffb74d' };
const no = { shift: false, alt: false };

beforeAll(async () => {
  (globalThis as unknown as { window: unknown }).window = { egm: fakeEgm };
  ({ PointerController: Pointer } = await import(/* @vite-ignore */ `${R}canvas/pointer`));
  ({ useApp } = await import(/* @vite-ignore */ `${R}state/store`));
  ({ useView } = await import(/* @vite-ignore */ `${R}state/view`));
  edits = await import(/* @vite-ignore */ `${R}state/edits`);
});

let redraws: Record<string, number>;
let ctl: Ctl;
beforeEach(async () => {
  await edits.saveQueue.idle();
  edits.history.clear();
  calls.length = 0;
  useApp.setState({ images: [image], currentImageId: 1, annotations: [box, other], selection: [], tool: 'select' });
  // Stage = image * 2 + (10, 20): the driver works in stage pixels like a real pointer.
  useView.setState({ vp: { scale: 2, x: 10, y: 20 } });
  redraws = { boxes: 0, selection: 0, draft: 0 };
  ctl = new Pointer((what) => redraws[what]!++);
});

const stage = (x: number, y: number): [number, number] => [x * 2 + 10, y * 2 + 20];

describe('canvas gestures', () => {
  it('a drag of 30 moves is one undo step and one store call at pointer-up', async () => {
    ctl.down(stage(30, 30), 0, no);
    for (let i = 1; i <= 30; i++) ctl.move(stage(30 + i, 30 + i / 2), no);
    expect(edits.history.size.undo).toBe(0); // nothing recorded while dragging
    expect(redraws).toEqual({ boxes: 0, selection: 30, draft: 0 }); // only the selection layer redraws
    ctl.up(stage(60, 45), no);
    expect(edits.history.size.undo).toBe(1);
    await edits.saveQueue.idle();
    expect(calls.map((c) => c.method)).toEqual(['annotations:update']);
    expect((calls[0]!.request as { patch: { visible: number[] } }).patch.visible).toEqual([40, 25, 80, 65]);
    expect(useApp.getState().annotations.find((a) => a.id === 5)!.visible).toEqual([40, 25, 80, 65]);
  });

  it('resizes from a corner handle of the selected box', async () => {
    useApp.setState({ selection: [5] });
    ctl.down(stage(50, 50), 0, no);
    ctl.move(stage(70, 65), no);
    ctl.up(stage(70, 65), no);
    expect(useApp.getState().annotations.find((a) => a.id === 5)!.visible).toEqual([10, 10, 70, 65]);
    expect(edits.history.size.undo).toBe(1);
  });

  it('draws a visible box in image pixels with the draw tool, redrawing only the draft layer', async () => {
    useApp.setState({ tool: 'visible' });
    ctl.down(stage(100, 100), 0, no);
    ctl.move(stage(120, 130), no);
    ctl.move(stage(150, 160), no);
    expect(redraws).toEqual({ boxes: 0, selection: 0, draft: 2 });
    ctl.up(stage(150, 160), no);
    await edits.saveQueue.idle();
    const created = calls.find((c) => c.method === 'annotations:create')!.request as { visible: number[] };
    expect(created.visible).toEqual([100, 100, 150, 160]);
    expect(useApp.getState().selection).toHaveLength(1);
  });

  it('panning changes the view, not the history or the store', async () => {
    ctl.down([300, 300], 1, no);
    ctl.move([340, 310], no);
    ctl.up([340, 310], no);
    expect(useView.getState().vp).toEqual({ scale: 2, x: 50, y: 30 });
    expect(edits.history.size.undo).toBe(0);
    expect(calls).toEqual([]);
  });

  it('clicking another box after undo keeps redo available', async () => {
    ctl.down(stage(30, 30), 0, no);
    ctl.move(stage(35, 30), no);
    ctl.up(stage(35, 30), no);
    await edits.undo();
    expect(edits.history.canRedo).toBe(true);
    ctl.down(stage(220, 230), 0, no); // select the other box
    ctl.up(stage(220, 230), no);
    expect(useApp.getState().selection).toEqual([6]);
    expect(edits.history.canRedo).toBe(true);
  });
});
