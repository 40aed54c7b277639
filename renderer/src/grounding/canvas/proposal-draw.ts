// Drawing model proposals and the point hint on their own Konva layer, in
// screen pixels like canvas/draw.ts. Proposal style, distinct from
// annotations: one proposal colour for both boxes (visible solid with a
// translucent hatch-like tint, amodal dashed), a "proposal" tag with latency
// and confidence, handles on the one under review; a box that misses the
// user's point is outlined in the warning colour.
import { formatConfidence, formatLatency, proposalBoxes } from '@core/grounding-ui';
// The proposal colours live with the category palette, which is chosen to stay clear of them.
import { MISS_COLOR, PROPOSAL_COLOR, PROPOSAL_DIM } from '@core/category-colors';
import type { Viewport } from '@core/geometry';
import type { Box, Point, Proposal } from '@core/types';
import { drawHandles } from '../../lib/handles';
import { workbench } from '../../workbench/current';
import type { ProposalEdit } from '../store';

export const POINT_COLOR = '#ffe14d';
const DASH = [7, 4];

/** What the layer draws; written by proposal-layer.ts, read at draw time (no React). One per workbench. */
export interface ProposalScene {
  proposals: Proposal[];
  activeId: number | null;
  edits: Record<number, ProposalEdit>;
  point: Point | null;
  /** performance.now() of the last draw (the input-latency bench reads it). */
  lastDraw: number;
}

export const createProposalScene = (): ProposalScene => ({ proposals: [], activeId: null, edits: {}, point: null, lastDraw: 0 });

export function currentProposalScene(): ProposalScene {
  return workbench().proposalScene;
}

function rect(b: Box, vp: Viewport): [number, number, number, number] {
  const x1 = Math.round(Math.min(b[0], b[2]) * vp.scale + vp.x) + 0.5;
  const y1 = Math.round(Math.min(b[1], b[3]) * vp.scale + vp.y) + 0.5;
  const x2 = Math.round(Math.max(b[0], b[2]) * vp.scale + vp.x) + 0.5;
  const y2 = Math.round(Math.max(b[1], b[3]) * vp.scale + vp.y) + 0.5;
  return [x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1)];
}

function tag(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, bg: string): void {
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  const w = ctx.measureText(text).width + 8;
  const ty = y >= 16 ? y - 16 : y + 1;
  ctx.fillStyle = bg;
  ctx.fillRect(x - 0.5, ty, w, 15);
  ctx.fillStyle = '#111';
  ctx.fillText(text, x + 3.5, ty + 2);
}

function drawOne(ctx: CanvasRenderingContext2D, p: Proposal, edit: ProposalEdit | undefined, active: boolean, vp: Viewport): void {
  const { visible, amodal } = proposalBoxes(p, edit);
  const miss = p.pointHit === false;
  const color = miss ? MISS_COLOR : active ? PROPOSAL_COLOR : PROPOSAL_DIM;
  ctx.strokeStyle = color;
  ctx.lineWidth = active ? 2 : 1;
  if (amodal) {
    const r = rect(amodal, vp);
    ctx.setLineDash(DASH);
    ctx.strokeRect(r[0], r[1], r[2], r[3]);
  }
  if (visible) {
    const r = rect(visible, vp);
    ctx.setLineDash([]);
    ctx.fillStyle = color + (active ? '2e' : '14');
    ctx.fillRect(r[0], r[1], r[2], r[3]);
    ctx.strokeRect(r[0], r[1], r[2], r[3]);
  }
  const anchor = visible ?? amodal;
  if (anchor && active) {
    const r = rect(anchor, vp);
    const edited = edit ? ' · edited' : '';
    const phrase = p.phrase.length > 40 ? `${p.phrase.slice(0, 39)}…` : p.phrase;
    tag(ctx, `proposal: ${phrase} · ${formatLatency(p.latencyMs)} · ${formatConfidence(p.score)}${miss ? ' · misses your point' : ''}${edited}`, r[0], r[1], color);
    if (visible) drawHandles(ctx, visible, vp, color, '#111');
    if (amodal) drawHandles(ctx, amodal, vp, color, '#111');
  }
}

function drawPoint(ctx: CanvasRenderingContext2D, p: Point, vp: Viewport): void {
  const x = Math.round(p[0] * vp.scale + vp.x) + 0.5;
  const y = Math.round(p[1] * vp.scale + vp.y) + 0.5;
  ctx.setLineDash([]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#111';
  ctx.beginPath();
  ctx.arc(x, y, 7, 0, Math.PI * 2);
  ctx.stroke();
  ctx.strokeStyle = POINT_COLOR;
  ctx.beginPath();
  ctx.arc(x, y, 6, 0, Math.PI * 2);
  ctx.moveTo(x - 11, y);
  ctx.lineTo(x + 11, y);
  ctx.moveTo(x, y - 11);
  ctx.lineTo(x, y + 11);
  ctx.stroke();
}

export function drawProposals(ctx: CanvasRenderingContext2D, pixelRatio: number, vp: Viewport): void {
  const s = currentProposalScene();
  s.lastDraw = performance.now();
  if (s.proposals.length === 0 && !s.point) return;
  ctx.save();
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  // The one under review last, so it is on top.
  for (const p of s.proposals) if (p.id !== s.activeId) drawOne(ctx, p, s.edits[p.id], false, vp);
  const active = s.proposals.find((p) => p.id === s.activeId);
  if (active) drawOne(ctx, active, s.edits[active.id], true, vp);
  // The hint for the next query, else the point the proposal under review was asked with.
  const point = s.point ?? active?.point ?? null;
  if (point) drawPoint(ctx, point, vp);
  ctx.restore();
}
