// Canvas drawing for the boxes, selection and draft layers. Drawn in SCREEN
// pixels (the transform is reset to the device pixel ratio), so strokes and
// dashes keep their width at any zoom (what strokeScaleEnabled=false gives a
// Konva Rect) and stay crisp. Off-screen boxes are culled before any path work.
import type { Viewport } from '../../../electron/core/geometry';
import type { Box } from '../../../electron/core/types';
import { drawHandles } from './handles';
import { currentScene, selectedShown } from './scene';

// 1 CSS px on half-pixel coordinates: Skia draws these as hairlines, ~10x faster
// than 1.5 px anti-aliased strokes in software rendering (bench/canvas.bench.ts).
export const STROKE = 1;
export const DASH = [6, 4];
/** Above this many boxes on screen, labels would be clutter (and cost frames). */
const MAX_LABELS = 150;

/** Screen rect of an image box, snapped to half pixels for crisp 1-px-ish lines; null when off-screen. */
function screenRect(b: Box, vp: Viewport, w: number, h: number): [number, number, number, number] | null {
  const x1 = b[0] * vp.scale + vp.x;
  const y1 = b[1] * vp.scale + vp.y;
  const x2 = b[2] * vp.scale + vp.x;
  const y2 = b[3] * vp.scale + vp.y;
  if (x2 < -4 || y2 < -4 || x1 > w + 4 || y1 > h + 4) return null;
  return [Math.round(x1) + 0.5, Math.round(y1) + 0.5, Math.max(1, Math.round(x2 - x1)), Math.max(1, Math.round(y2 - y1))];
}

function begin(ctx: CanvasRenderingContext2D, pixelRatio: number): void {
  ctx.save();
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
}

/** The image at the viewport: image pixels scaled to the screen (what a Konva Image under the Stage transform drew). */
export function drawImage(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport): void {
  const scene = currentScene();
  const img = scene.image;
  if (!img) return;
  ctx.save();
  ctx.setTransform(pixelRatio * vp.scale, 0, 0, pixelRatio * vp.scale, pixelRatio * vp.x, pixelRatio * vp.y);
  ctx.drawImage(img, 0, 0, scene.imageW, scene.imageH);
  ctx.restore();
}

/** All unselected boxes: per colour one solid path (visible) and one dashed path (amodal). */
export function drawBoxes(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): number {
  const scene = currentScene();
  begin(ctx, pixelRatio);
  ctx.lineWidth = STROKE;
  let drawn = 0;
  for (const [color, list] of scene.byColor) {
    ctx.strokeStyle = color;
    ctx.setLineDash([]);
    ctx.beginPath();
    for (const a of list) {
      const r = screenRect((scene.preview.get(a.id) ?? a).visible, vp, w, h);
      if (r) {
        ctx.rect(r[0], r[1], r[2], r[3]);
        drawn++;
      }
    }
    ctx.stroke();
    ctx.setLineDash(DASH);
    ctx.beginPath();
    for (const a of list) {
      const amodal = (scene.preview.get(a.id) ?? a).amodal;
      const r = amodal && screenRect(amodal, vp, w, h);
      if (r) ctx.rect(r[0], r[1], r[2], r[3]);
    }
    ctx.stroke();
  }
  if (drawn <= MAX_LABELS) drawLabels(ctx, vp, w, h);
  ctx.restore();
  return drawn;
}

/** The box's list number in its colour at the top-left corner, outside the box when there is room. */
function drawLabels(ctx: CanvasRenderingContext2D, vp: Viewport, w: number, h: number): void {
  const scene = currentScene();
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const [color, list] of scene.byColor) {
    for (const a of list) {
      const r = screenRect((scene.preview.get(a.id) ?? a).visible, vp, w, h);
      if (!r) continue;
      const text = String(scene.index.get(a.id) ?? '');
      const tw = ctx.measureText(text).width + 4;
      const y = r[1] >= 12 ? r[1] - 12 : r[1];
      ctx.fillStyle = color;
      ctx.fillRect(r[0] - 0.5, y, tw, 12);
      ctx.fillStyle = '#111';
      ctx.fillText(text, r[0] + 1.5, y + 1);
    }
  }
}

/** Selected boxes: thicker, lightly filled, with 8 handles on each of their boxes. */
export function drawSelection(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): void {
  begin(ctx, pixelRatio);
  const sel = selectedShown();
  for (const a of sel) {
    const v = screenRect(a.visible, vp, w, h);
    ctx.strokeStyle = a.color;
    ctx.lineWidth = 2;
    if (v) {
      ctx.setLineDash([]);
      ctx.fillStyle = a.color + '26'; // ~15% tint: shows the object without hiding it
      ctx.fillRect(v[0], v[1], v[2], v[3]);
      ctx.strokeRect(v[0], v[1], v[2], v[3]);
    }
    const m = a.amodal && screenRect(a.amodal, vp, w, h);
    if (m) {
      ctx.setLineDash(DASH);
      ctx.strokeRect(m[0], m[1], m[2], m[3]);
    }
    if (sel.length === 1) {
      drawHandles(ctx, a.visible, vp, '#111', a.color);
      if (a.amodal) drawHandles(ctx, a.amodal, vp, '#111', a.color);
    }
  }
  ctx.restore();
}

export function drawDraft(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport, w: number, h: number): void {
  const scene = currentScene();
  const d = scene.draft;
  if (!d) return;
  begin(ctx, pixelRatio);
  const r = screenRect(d.box, vp, w + 1e6, h + 1e6);
  if (r) {
    ctx.strokeStyle = d.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(d.kind === 'amodal' ? DASH : []);
    ctx.strokeRect(r[0], r[1], r[2], r[3]);
  }
  ctx.restore();
}
