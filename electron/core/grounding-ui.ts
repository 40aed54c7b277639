// Pure rules behind the workbench's grounding UI (issue 4): recent phrases,
// walking the review queue, batch phrase lists and the figures shown for a
// proposal or a batch. No DOM, no React: unit-tested directly.
import type { BatchStatus, Box, Proposal } from './types';

export const RECENT_LIMIT = 10;

/** The phrase first, without an earlier copy (case-insensitive, trimmed), at most `limit` entries. */
export function pushRecent(list: readonly string[], phrase: string, limit = RECENT_LIMIT): string[] {
  const p = phrase.trim();
  if (!p) return [...list].slice(0, limit);
  const key = p.toLowerCase();
  return [p, ...list.filter((x) => x.trim().toLowerCase() !== key)].slice(0, limit);
}

/** Reads a stored recent-phrase list; anything malformed counts as empty (it is only a convenience). */
export function parseRecent(text: string | null, limit = RECENT_LIMIT): string[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '').slice(0, limit) : [];
  } catch {
    return [];
  }
}

/**
 * Cycling through recent phrases with ↑/↓ from the phrase bar: index -1 is
 * "what the user typed"; ↑ goes to older entries, ↓ back towards the draft.
 */
export function stepRecent(index: number, delta: 1 | -1, length: number): number {
  if (length === 0) return -1;
  return Math.max(-1, Math.min(length - 1, index + delta));
}

/** Batch phrases from a textarea: one per line, trimmed, blank lines and repeats dropped. */
export function parsePhrases(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const p = line.trim();
    if (p && !seen.has(p.toLowerCase())) {
      seen.add(p.toLowerCase());
      out.push(p);
    }
  }
  return out;
}

/**
 * The queue entry `step` places after (or before) the current one, wrapping
 * around. With no current entry (or one no longer queued), J starts at the
 * first entry on `imageId` if any, else at the top.
 */
export function stepQueue(queue: readonly Proposal[], currentId: number | null, step: 1 | -1, imageId: number | null = null): Proposal | null {
  if (queue.length === 0) return null;
  const i = currentId === null ? -1 : queue.findIndex((p) => p.id === currentId);
  if (i < 0) {
    const onImage = imageId === null ? undefined : queue.find((p) => p.imageId === imageId);
    return onImage ?? (step > 0 ? queue[0]! : queue[queue.length - 1]!);
  }
  return queue[(i + step + queue.length) % queue.length]!;
}

/**
 * What to show after the proposal `goneId` left the queue (accepted or
 * rejected): the next one on the same image, else the next in queue order.
 * `queueBefore` is the queue as it was, with the proposal still in it.
 */
export function nextAfterRemoval(queueBefore: readonly Proposal[], goneId: number): Proposal | null {
  const i = queueBefore.findIndex((p) => p.id === goneId);
  const rest = queueBefore.filter((p) => p.id !== goneId);
  if (rest.length === 0) return null;
  if (i < 0) return rest[0]!;
  const gone = queueBefore[i]!;
  const sameImage = rest.filter((p) => p.imageId === gone.imageId);
  if (sameImage.length > 0) return sameImage.find((p) => rest.indexOf(p) >= i) ?? sameImage[0]!;
  return rest[Math.min(i, rest.length - 1)]!;
}

/** Pending proposals per image id, for the image list's badges. */
export function countByImage(queue: readonly Proposal[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of queue) counts.set(p.imageId, (counts.get(p.imageId) ?? 0) + 1);
  return counts;
}

/** "840 ms" or "3.2 s". */
export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** Confidence for the box label: "conf 0.87", or "greedy" for a single answer (no agreement measured). */
export function formatConfidence(score: number | null): string {
  return score === null ? 'greedy' : `conf ${score.toFixed(2)}`;
}

/** "1:05" / "12 s" / "—" for the batch dialog. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** One line for the batch dialog: "120/300 · 2 failed · 18.5/s · ETA 0:10". */
export function batchSummary(b: BatchStatus): string {
  const failed = b.failed > 0 ? ` · ${b.failed} failed` : '';
  const eta = b.state === 'running' ? ` · ETA ${formatEta(b.etaSeconds)}` : '';
  return `${b.done}/${b.total}${failed} · ${b.throughput.toFixed(1)}/s${eta} · ${b.state}${b.reason ? ` — ${b.reason}` : ''}`;
}

/** A proposal's two boxes (an edit the user dragged holds both). */
export interface ProposalBoxes {
  visible: Box | null;
  amodal: Box | null;
}

/**
 * The boxes of a proposal as shown, drawn, dragged and accepted: the user's
 * edit when they dragged a handle, else the model's. The one rule for all four.
 */
export function proposalBoxes(p: Proposal, edit: ProposalBoxes | undefined): ProposalBoxes {
  return edit ?? { visible: p.visible, amodal: p.amodal };
}

/** The origin (scheme://host:port) a server URL's key belongs to; null while the URL is not valid. */
export function serverOrigin(baseUrl: string): string | null {
  try {
    const url = new URL(baseUrl.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
