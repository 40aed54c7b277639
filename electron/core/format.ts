// Human-readable sizes and durations, worded the same in the CLI's progress
// line and the app's model panel. Pure: the renderer imports it too.

/** Decimal units (as download sizes are quoted): `950 B`, `1.20 GB`, `35.2 MB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : v < 10 ? 2 : 1)} ${units[i]}`;
}

/** `m:ss` or `h:mm:ss`; `--:--` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A box as the panels show it: `x1, y1 → x2, y2`, optionally with `(w×h)`; `—` for none. */
export function formatBox(box: readonly [number, number, number, number] | null, withSize = false): string {
  if (!box) return '—';
  const [x1, y1, x2, y2] = box.map(Math.round) as [number, number, number, number];
  const size = withSize ? `  (${Math.round(box[2] - box[0])}×${Math.round(box[3] - box[1])})` : '';
  return `${x1}, ${y1} → ${x2}, ${y2}${size}`;
}
