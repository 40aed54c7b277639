// The sizes of the workbench's resizable panels (issue 18, "Layout"): the
// image list's and the side panel's widths, and the review queue's height in
// the image column. Each is a CSS variable the stylesheet sizes the panel by
// (its default there, per window size), set from the reader's saved choice in
// the workbench's prefs (a view preference, kept per user, not in the
// project). Pure: the handle is components/Splitter.tsx.

export type PanelName = 'images' | 'side' | 'queue';

export interface PanelSpec {
  /** Key in the workbench's prefs; '' there means "the default". */
  pref: string;
  /** The CSS variable on the splitter's parent element that sizes the panel. */
  cssVar: string;
  /** 'x': a width (a vertical bar between columns); 'y': a height (a horizontal bar). */
  axis: 'x' | 'y';
  /** Where the panel is, next to its splitter: dragging toward the panel shrinks it. */
  panel: 'before' | 'after';
  min: number;
  max: number;
  /** At most this part of the window's width (x) — the canvas keeps the rest. */
  maxOfWindow?: number;
}

export const PANELS: Record<PanelName, PanelSpec> = {
  images: { pref: 'egm.layout.imagesWidth', cssVar: '--images-w', axis: 'x', panel: 'before', min: 150, max: 640, maxOfWindow: 0.34 },
  side: { pref: 'egm.layout.sideWidth', cssVar: '--side-w', axis: 'x', panel: 'after', min: 220, max: 720, maxOfWindow: 0.38 },
  queue: { pref: 'egm.layout.queueHeight', cssVar: '--queue-h', axis: 'y', panel: 'after', min: 70, max: 4000 },
};

/** One keyboard step of a splitter (arrow keys), in CSS px. */
export const SPLITTER_STEP = 16;

/** A size within the panel's bounds (and its share of the window), whole pixels. */
export function clampSize(spec: PanelSpec, px: number, windowWidth = Infinity): number {
  const max = spec.maxOfWindow === undefined ? spec.max : Math.min(spec.max, Math.max(spec.min, Math.floor(windowWidth * spec.maxOfWindow)));
  return Math.round(Math.min(max, Math.max(spec.min, px)));
}

/** A saved size, or null for none (never set, reset, or not a number). */
export function parseSize(spec: PanelSpec, text: string | null | undefined): number | null {
  if (!text) return null;
  const px = Number(text);
  return Number.isFinite(px) && px > 0 ? clampSize(spec, px) : null;
}

/** The panel's new size after the pointer moved `delta` px along the splitter's axis from where a drag began. */
export function draggedSize(spec: PanelSpec, start: number, delta: number, windowWidth = Infinity): number {
  return clampSize(spec, spec.panel === 'before' ? start + delta : start - delta, windowWidth);
}
