// Grounding's keyboard commands, registered into the workbench registry so
// they appear in the ? overlay. Enter / Backspace / Esc act on proposals or
// the running query while there is one, and fall back to the workbench's own
// commands otherwise (declared with `overrides`, so no silent key stealing).
import type { CommandRegistry } from '@core/commands';
import { app } from '../state/store';
import { cancelQuery, retryActive, togglePointTool } from './query';
import { acceptActive, rejectActive, stepProposal } from './review';
import { confirmAcceptAll } from './components/accept-all';
import { markActiveAbsent } from './negatives';
import { activeProposal, grounding } from './store';

/** A proposal is under review on this image and no box is selected (a selected box keeps Enter/Backspace). */
const onScreen = () => {
  const p = activeProposal();
  return p !== null && p.imageId === app.get().currentImageId && app.get().selection.length === 0;
};

export const PHRASE_INPUT_ID = 'phrase-bar-input';

export function focusPhraseBar(): void {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${PHRASE_INPUT_ID}"]`);
  el?.focus();
  el?.select();
}

export function registerGroundingCommands<C>(reg: CommandRegistry<C>): CommandRegistry<C> {
  const hasImage = () => app.get().currentImageId !== null;
  return reg
    // '/' only: a letter key that took focus to the phrase field turned the rest of a word typed
    // with focus elsewhere into a phrase (issue 18: "the giraffe" → G, then "iraffe" recorded).
    .register({ id: 'ground.focus', label: 'Type a phrase to ground (Enter runs it, ↑ recent phrases)', group: 'Grounding', keys: ['/'], enabled: hasImage, perform: focusPhraseBar })
    .register({ id: 'ground.pointTool', label: 'Point tool: click the object to hint the next query (or Ctrl+click)', group: 'Grounding', keys: ['T'], enabled: hasImage, perform: togglePointTool })
    .register({ id: 'ground.clearPoint', label: 'Clear the point hint', group: 'Grounding', keys: ['Shift+T'], enabled: () => grounding.get().point !== null, perform: () => grounding.set({ point: null }) })
    .register({
      id: 'ground.cancel',
      label: 'Cancel the running query',
      group: 'Grounding',
      keys: ['Escape'],
      inTextField: true,
      overrides: ['select.none'],
      enabled: () => grounding.get().query !== null,
      perform: cancelQuery,
    })
    .register({ id: 'proposal.accept', label: 'Accept the proposal (with your handle edits)', group: 'Grounding', keys: ['Enter'], overrides: ['edit.reviewed'], enabled: onScreen, perform: acceptActive })
    .register({ id: 'proposal.reject', label: 'Reject the proposal', group: 'Grounding', keys: ['Backspace'], overrides: ['edit.delete'], enabled: onScreen, perform: rejectActive })
    .register({ id: 'proposal.absent', label: 'Not in this image: record the phrase as absent and drop the proposal', group: 'Grounding', keys: ['X'], enabled: onScreen, perform: markActiveAbsent })
    .register({ id: 'proposal.acceptAll', label: 'Accept every proposal on this image (asks first)', group: 'Grounding', keys: ['Shift+Enter'], enabled: () => grounding.get().queue.some((p) => p.imageId === app.get().currentImageId), perform: confirmAcceptAll })
    .register({ id: 'proposal.retry', label: 'Ask again with the same phrase and point', group: 'Grounding', keys: ['Shift+R'], enabled: onScreen, perform: retryActive })
    .register({ id: 'queue.next', label: 'Next proposal in the review queue', group: 'Grounding', keys: ['J'], enabled: () => grounding.get().queue.length > 0, perform: () => stepProposal(1) })
    .register({ id: 'queue.prev', label: 'Previous proposal in the review queue', group: 'Grounding', keys: ['K'], enabled: () => grounding.get().queue.length > 0, perform: () => stepProposal(-1) })
    .register({ id: 'panel.model', label: 'Model panel', group: 'Grounding', keys: ['Mod+Shift+M'], perform: () => grounding.set({ panel: grounding.get().panel === 'model' ? 'none' : 'model' }) })
    .register({ id: 'panel.batch', label: 'Batch auto-label…', group: 'Grounding', keys: ['Mod+B'], enabled: () => app.get().project !== null, perform: () => grounding.set({ panel: grounding.get().panel === 'batch' ? 'none' : 'batch' }) });
}
