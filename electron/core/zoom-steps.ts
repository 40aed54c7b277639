// Zoom steps and pixel rendering (issue 18, "Layout and view"): the + / −
// steps walk a ladder that lands on every power of two — 100, 200, 400 % and
// 50, 25 % — four steps an octave (×1.25, ×1.2, ×1.17, ×1.14), where a fixed
// ×1.25 never came back to 100 %. Above 200 % the image is drawn with
// nearest-neighbour pixels, so a labeller sees the pixel edges a box snaps to.
import { MAX_SCALE, MIN_SCALE } from './geometry';

/** The zoom presets the menu and keys offer (scale 1 = 100 %). */
export const ZOOM_PRESETS = [1, 2, 4] as const;

/** Scales above this are drawn without smoothing (nearest neighbour). */
export const SMOOTH_UP_TO = 2;

const PER_OCTAVE = [1, 1.25, 1.5, 1.75];

/** Every step from MIN_SCALE to MAX_SCALE, ascending (each octave's 1, 1.25, 1.5, 1.75 × its power of two). */
export const ZOOM_LADDER: readonly number[] = (() => {
  const out: number[] = [];
  for (let k = Math.floor(Math.log2(MIN_SCALE)); k <= Math.ceil(Math.log2(MAX_SCALE)); k++) {
    for (const f of PER_OCTAVE) {
      const s = 2 ** k * f;
      if (s >= MIN_SCALE && s <= MAX_SCALE) out.push(s);
    }
  }
  return out;
})();

/** A scale this close to a step counts as on it (a fitted or wheeled scale is any number). */
const SAME = 1e-6;

/** The next step in (dir 1) or out (dir −1) from `scale`; the end of the ladder stays. */
export function nextZoom(scale: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOM_LADDER.find((s) => s > scale * (1 + SAME)) ?? ZOOM_LADDER.at(-1)!;
  return [...ZOOM_LADDER].reverse().find((s) => s < scale * (1 - SAME)) ?? ZOOM_LADDER[0]!;
}

/** Whether the image is drawn smoothed at this scale (false: nearest-neighbour pixels). */
export function smoothAt(scale: number): boolean {
  return scale <= SMOOTH_UP_TO * (1 + SAME);
}
