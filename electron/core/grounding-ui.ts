// Pure rules behind the workbench's grounding UI (issue 4): recent phrases,
// walking the review queue, batch phrase lists and the figures shown for a
// proposal or a batch. No DOM, no React: unit-tested directly.
import type { Change } from './history';
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
 * The order J walks the review queue in (issue 11: it hopped between images in
 * arrival order): image by image in image-list order (`imageOrder`; images the
 * list does not show come after, in queue order), and on each image in queue order.
 */
export function walkOrder(queue: readonly Proposal[], imageOrder: readonly number[]): Proposal[] {
  const rank = new Map(imageOrder.map((id, i) => [id, i]));
  const firstSeen = new Map<number, number>();
  queue.forEach((p, i) => firstSeen.has(p.imageId) || firstSeen.set(p.imageId, i));
  const key = (p: Proposal) => rank.get(p.imageId) ?? imageOrder.length + firstSeen.get(p.imageId)!;
  return queue.map((p, i) => ({ p, i })).sort((a, b) => key(a.p) - key(b.p) || a.i - b.i).map((x) => x.p);
}

/** Where J (step 1) or K (step -1) goes: a proposal, 'end' past the last (J) or before the first (K), or null with an empty queue. */
export type QueueStep = Proposal | 'end' | null;

/**
 * J / K through the review queue in walkOrder, starting on the image on
 * screen (`imageId`): from the proposal under review when it is on that image,
 * else from the image's first (J) or last (K) proposal, else from the
 * nearest image after (J) or before (K) it in list order that has any, else
 * (nothing that way) from the walk's first (J) or last (K) one: with nothing
 * under review here that is a start, not a wrap. Walking on from a proposal
 * it does not wrap: past either end it answers 'end', so the user is told
 * instead of being carried silently back to the start.
 */
export function stepQueue(queue: readonly Proposal[], currentId: number | null, step: 1 | -1, imageId: number | null, imageOrder: readonly number[]): QueueStep {
  if (queue.length === 0) return null;
  const walk = walkOrder(queue, imageOrder);
  const i = walk.findIndex((p) => p.id === currentId);
  if (i >= 0 && (imageId === null || walk[i]!.imageId === imageId)) return walk[i + step] ?? 'end';
  const onImage = walk.filter((p) => p.imageId === imageId);
  if (onImage.length > 0) return step > 0 ? onImage[0]! : onImage[onImage.length - 1]!;
  // Nothing on the image on screen: the nearest image in list order that has proposals, in the step's direction.
  const at = imageId === null ? -1 : imageOrder.indexOf(imageId);
  if (at < 0) return step > 0 ? walk[0]! : walk[walk.length - 1]!;
  const rank = new Map(imageOrder.map((id, k) => [id, k]));
  const pos = (p: Proposal) => rank.get(p.imageId) ?? Infinity;
  const next = step > 0 ? walk.find((p) => pos(p) > at) : [...walk].reverse().find((p) => pos(p) < at);
  return next ?? (step > 0 ? walk[0]! : walk[walk.length - 1]!);
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

/**
 * One line for the batch dialog: "120/300 · 32 no box · 2 failed · 1.2 items/s
 * · ETA 0:10 · running": items done of all; of the done, how many the model
 * answered with no box (each waits in the review queue) and how many were not
 * asked (answered before); then the failed ones.
 */
export function batchSummary(b: BatchStatus): string {
  const parts = [`${b.done}/${b.total}`];
  if (b.noBox > 0) parts.push(`${b.noBox} no box`);
  if (b.skipped > 0) parts.push(`${b.skipped} answered before`);
  if (b.failed > 0) parts.push(`${b.failed} failed`);
  if (b.state === 'running') parts.push(`${b.throughput.toFixed(1)} items/s`, `ETA ${formatEta(b.etaSeconds)}`);
  parts.push(b.interrupted ? 'interrupted' : b.state);
  return `${parts.join(' · ')}${b.reason ? ` — ${b.reason}` : ''}`;
}

/** The status bar's short form: "Batch 40/96 · ETA 0:45", "Batch done 96/96 · 32 no box", "Batch interrupted 40/96". */
export function batchChipText(b: BatchStatus): string {
  const count = `${b.done}/${b.total}`;
  const noBox = b.noBox > 0 ? ` · ${b.noBox} no box` : '';
  if (b.state === 'running') return `Batch ${count}${noBox} · ETA ${formatEta(b.etaSeconds)}${b.reason ? ' · waiting for the server' : ''}`;
  if (b.interrupted) return `Batch interrupted ${count}`;
  return `Batch ${b.state} ${count}${noBox}`;
}

/**
 * Of the batch status shown and one just received (a command's reply, a
 * progress event, a refresh), the one to show: the one received, unless it
 * is an older snapshot of the same batch. A batch with nothing to ask ends
 * at once, so its 'done' event can come before batch:start's reply, whose
 * 'running' snapshot would otherwise stick in the dialog for good.
 */
export function latestBatch(shown: BatchStatus | null, received: BatchStatus | null): BatchStatus | null {
  if (!shown || !received || shown.id !== received.id || shown.seq === undefined || received.seq === undefined) return received;
  return received.seq < shown.seq ? shown : received;
}

/** Whether batch:resume has something to run: a batch that stopped with items left (not one running, done or absent). */
export function canResume(b: BatchStatus | null): boolean {
  return b !== null && b.state !== 'running' && b.state !== 'done' && b.total - b.done - b.failed > 0;
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

/**
 * The edits by proposal id after an undo step's proposal-edit changes (issue
 * 18: a handle drag of a proposal under review is an undo step): create and
 * update set the edit, delete drops it. Returns the same object when nothing changes.
 */
export function proposalEditsAfter(edits: Readonly<Record<number, ProposalBoxes>>, changes: readonly Change<ProposalBoxes & { id: number }>[]): Record<number, ProposalBoxes> {
  if (changes.length === 0) return edits as Record<number, ProposalBoxes>;
  const next: Record<number, ProposalBoxes> = { ...edits };
  for (const c of changes) {
    if (c.type === 'delete') delete next[c.before.id];
    else next[c.after.id] = { visible: c.after.visible, amodal: c.after.amodal };
  }
  return next;
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
