// Download progress: bytes done/total, a rate over the last few seconds (a
// whole-run average would hide a stall) and the ETA that follows from it.
import { formatBytes, formatDuration } from '@core/format';

// Re-exported: the progress line's callers and tests import them from here.
export { formatBytes, formatDuration };

export interface DownloadProgress {
  /** The file being fetched now (repository path). */
  file: string;
  fileIndex: number;
  fileCount: number;
  doneBytes: number;
  /** Best known total: exact sizes where known, else the catalog's estimates. */
  totalBytes: number;
  /** Bytes per second over the recent window; 0 until measurable. */
  rate: number;
  /** Seconds left at the current rate; null when unknown. */
  etaSeconds: number | null;
  /** For a model built locally: fetching its checkpoint, then building it (bytes of weights converted). */
  phase?: 'download' | 'build';
}

const WINDOW_MS = 5_000;

export class ProgressTracker {
  private readonly totals = new Map<string, number>();
  private done = 0;
  private samples: Array<{ t: number; done: number }> = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Set (or correct, once a server header says it) one file's size. */
  setTotal(file: string, bytes: number): void {
    this.totals.set(file, bytes);
  }

  /** Bytes already on disk count as done but not towards the rate. */
  addExisting(bytes: number): void {
    this.done += bytes;
    this.samples = this.samples.map((s) => ({ t: s.t, done: s.done + bytes }));
  }

  add(delta: number): void {
    this.done += delta;
    const t = this.now();
    this.samples.push({ t, done: this.done });
    while (this.samples.length > 2 && this.samples[0]!.t < t - WINDOW_MS) this.samples.shift();
  }

  snapshot(file: string, fileIndex: number, fileCount: number): DownloadProgress {
    const totalBytes = Math.max(this.done, [...this.totals.values()].reduce((a, b) => a + b, 0));
    const first = this.samples[0];
    const last = this.samples.at(-1);
    const dt = first && last ? (last.t - first.t) / 1000 : 0;
    const rate = dt > 0.2 ? Math.max(0, (last!.done - first!.done) / dt) : 0;
    const etaSeconds = rate > 0 ? Math.max(0, (totalBytes - this.done) / rate) : null;
    return { file, fileIndex, fileCount, doneBytes: this.done, totalBytes, rate, etaSeconds };
  }
}

/** One line: `[#####.....]  42% 1.20 GB/2.85 GB 35.2 MB/s ETA 0:47 onnx/decoder_model_merged_q4f16.onnx (3/9)`. */
export function formatProgressLine(p: DownloadProgress, barWidth = 24): string {
  const frac = p.totalBytes > 0 ? Math.min(1, p.doneBytes / p.totalBytes) : 0;
  const filled = Math.round(frac * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  const pct = `${Math.floor(frac * 100)}%`.padStart(4);
  return `${bar} ${pct} ${formatBytes(p.doneBytes)}/${formatBytes(p.totalBytes)} ${formatBytes(p.rate)}/s ETA ${formatDuration(p.etaSeconds)} ${p.file} (${p.fileIndex + 1}/${p.fileCount})`;
}
