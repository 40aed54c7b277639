// Pointer input over the canvas, as CanvasView and the test driver both feed
// it: grounding's pointer (point hint, the proposal under review) is offered
// each press first, the workbench's pointer controller gets the rest. Stage
// pixels in, no DOM: the caller turns events into points and modifiers.
import type { Point } from '../../../electron/core/types';
import { ProposalPointer, type GroundMods } from '../grounding/canvas/proposal-pointer';
import { app } from '../state/store';
import { view } from '../state/view';
import { PointerController, type LayerName } from './pointer';

export type { GroundMods as PointerMods };

export class CanvasInput {
  readonly pointer: PointerController;
  readonly proposals = new ProposalPointer();

  constructor(redraw: (what: LayerName) => void) {
    this.pointer = new PointerController(redraw);
  }

  get busy(): boolean {
    return this.pointer.busy || this.proposals.busy;
  }

  down(p: Point, button: number, mods: GroundMods): void {
    if (this.proposals.down(p, button, mods)) return;
    this.pointer.down(p, button, mods);
  }

  /** Moves the gesture in progress; with none, returns the cursor for hovering at p. */
  move(p: Point, mods: GroundMods): string | null {
    let cursor: string | null = null;
    if (this.proposals.busy) this.proposals.move(p, mods);
    else if (this.pointer.busy) this.pointer.move(p, mods);
    else cursor = this.proposals.cursorAt(p) ?? this.pointer.cursorAt(p);
    const { vp } = view.get();
    const at: [number, number] = [Math.round((p[0] - vp.x) / vp.scale), Math.round((p[1] - vp.y) / vp.scale)];
    // While panning the image point under the pointer stays put: no store update, no status-bar render.
    const was = app.get().cursor;
    if (!was || was[0] !== at[0] || was[1] !== at[1]) app.set({ cursor: at });
    return cursor;
  }

  up(p: Point, mods: GroundMods): void {
    if (this.proposals.busy) this.proposals.up();
    else this.pointer.up(p, mods);
  }

  cancel(): void {
    this.proposals.cancel();
    this.pointer.cancel();
  }
}
