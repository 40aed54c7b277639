// Phrase-and-point queries: Enter in the phrase bar grounds the phrase (main's
// 'ground' asks the model for the boxes the settings name; tokens stream as
// 'ground:token' events tagged with the query id), Esc cancels, Retry asks again with the
// same phrase and point. One query runs at a time.
import type { Point } from '@core/types';
import { egm, errorText } from '../egm';
import { blurFocus } from '../focus';
import { app, currentImage, notify } from '../state/store';
import { workbench } from '../workbench/current';
import { beginReasoning } from './reasoning';
import { rememberPhrase } from './recent';
import { addProposal, rejectActive } from './review';
import { activeProposal, grounding } from './store';

function newQueryId(): string {
  return `q${Date.now().toString(36)}-${workbench().nextQueryNumber()}`;
}

/** A phrase as messages quote it: a long one is cut, so a message stays one line (issue 16). */
function quoted(phrase: string): string {
  return phrase.length > 80 ? `${phrase.slice(0, 77)}…` : phrase;
}

export async function ground(phrase: string, point: Point | null = grounding.get().point): Promise<void> {
  const img = currentImage();
  const text = phrase.trim();
  if (!img) return notify('Open an image first');
  if (!text) return notify('Type what to find, e.g. "the lime behind the orange"');
  const running = grounding.get().query;
  if (running) await cancelQuery();
  const queryId = newQueryId();
  const project = app.get().project?.token;
  rememberPhrase(text);
  grounding.set({ query: { queryId, imageId: img.id, phrase: text, point, startedAt: performance.now() }, queryError: null, failedQuery: null });
  beginReasoning(queryId);
  try {
    const answer = await egm().ground({ queryId, imageId: img.id, phrase: text, ...(point ? { point } : {}) });
    if ('cancelled' in answer) return notify(`Cancelled "${quoted(text)}"`);
    const { proposal } = answer;
    if (grounding.get().query?.queryId !== queryId) return; // superseded meanwhile (main's event queued it)
    addProposal(proposal);
    // The hint was for this query (the proposal keeps it, for Retry); the next object gets its own.
    if (grounding.get().point === point) grounding.set({ point: null });
    // Focus leaves the phrase bar so the next Enter accepts and Backspace rejects.
    blurFocus();
    // 'no-box' is a code: the side panel shows the model's own sentence for it (issue 11).
    if (proposal.reason) notify(proposal.reason === 'no-box' ? `The model found no box for "${quoted(text)}"; its answer is in the side panel` : `The model gave no box for "${quoted(text)}" (${proposal.reason})`);
  } catch (err) {
    // Another project opened meanwhile: the failure, and its Retry, belong to the one it was asked in (issue 16).
    if (app.get().project?.token !== project) return;
    grounding.set({ queryError: `Grounding "${quoted(text)}" failed: ${errorText(err)}`, failedQuery: { phrase: text, point, imageId: img.id } });
  } finally {
    if (grounding.get().query?.queryId === queryId) grounding.set({ query: null });
  }
}

/** Esc: stops the running query (the model stops between tokens; nothing is stored). */
export async function cancelQuery(): Promise<void> {
  const q = grounding.get().query;
  if (!q) return;
  grounding.set({ query: null });
  try {
    await egm()['ground:cancel']({ queryId: q.queryId });
  } catch (err) {
    grounding.set({ queryError: `Cancelling "${quoted(q.phrase)}" failed: ${errorText(err)}` });
  }
}

/** A box that missed the user's point: reject it and ask again with the same phrase and point. */
export async function retryActive(): Promise<void> {
  const p = activeProposal();
  if (!p) return;
  await rejectActive();
  await ground(p.phrase, p.point);
}

/**
 * Retry after a failed query (the server was down, the answer was cut): the
 * same phrase, on the image now on screen, with the same point only if that
 * is still the image it was asked on (a point marks a spot of one picture:
 * carried to another, it would steer the model to an unrelated spot).
 */
export async function retryFailedQuery(): Promise<void> {
  const failed = grounding.get().failedQuery;
  if (failed) await ground(failed.phrase, currentImage()?.id === failed.imageId ? failed.point : null);
}

export function setPoint(point: Point | null): void {
  grounding.set({ point });
}

export function togglePointTool(): void {
  grounding.set({ pointTool: !grounding.get().pointTool });
}
