// The canvas view's keyboard commands (issue 11): labels, hide and lock of
// the selected boxes, brightness and contrast. Registered into the workbench
// registry (app-commands.ts), so they are in the ? overlay like the rest.
import type { CommandRegistry } from '@core/commands';
import { app, notify } from '../state/store';
import { ADJUST_STEP, boxView, cycleLabels, resetImageAdjust, setBrightness, setContrast, showAll, toggleHiddenMany, toggleLockedMany } from './box-view';

const LABEL_NOTICE = { off: 'Labels: numbers only', phrase: 'Labels: phrases', category: 'Labels: categories' } as const;

/** H: hides the selected boxes (they leave the selection: a hidden box cannot be picked). */
function hideSelected(): void {
  const ids = app.get().selection;
  toggleHiddenMany(ids);
  if (ids.every((id) => boxView.get().hiddenIds.has(id))) {
    app.set({ selection: [] });
    notify(`Hidden ${ids.length} box${ids.length > 1 ? 'es' : ''} (Shift+H shows all)`);
  }
}

export function registerViewCommands<C>(reg: CommandRegistry<C>): CommandRegistry<C> {
  const hasImage = () => app.get().currentImageId !== null;
  const hasSelection = () => app.get().selection.length > 0;
  return reg
    .register({ id: 'view.labels', label: 'Box labels: numbers / phrases / categories', group: 'View', keys: ['L'], enabled: hasImage, perform: () => notify(LABEL_NOTICE[cycleLabels()]) })
    .register({ id: 'view.hide', label: 'Hide the selected boxes (shown again from the box list)', group: 'View', keys: ['H'], enabled: hasSelection, perform: hideSelected })
    .register({ id: 'view.showAll', label: 'Show every hidden box', group: 'View', keys: ['Shift+H'], enabled: () => boxView.get().hiddenIds.size + boxView.get().hiddenCategories.size > 0, perform: showAll })
    .register({ id: 'view.lock', label: 'Lock / unlock the selected boxes', group: 'View', keys: ['Shift+L'], enabled: hasSelection, perform: () => toggleLockedMany(app.get().selection) })
    .register({ id: 'view.brighter', label: 'Image brighter (Shift: darker)', group: 'View', keys: ['B'], enabled: hasImage, perform: () => setBrightness(boxView.get().brightness + ADJUST_STEP) })
    .register({ id: 'view.darker', label: 'Image darker', group: 'View', keys: ['Shift+B'], enabled: hasImage, perform: () => setBrightness(boxView.get().brightness - ADJUST_STEP) })
    .register({ id: 'view.contrastUp', label: 'Image contrast up (Shift: down)', group: 'View', keys: ['C'], enabled: hasImage, perform: () => setContrast(boxView.get().contrast + ADJUST_STEP) })
    .register({ id: 'view.contrastDown', label: 'Image contrast down', group: 'View', keys: ['Shift+C'], enabled: hasImage, perform: () => setContrast(boxView.get().contrast - ADJUST_STEP) })
    .register({ id: 'view.adjustReset', label: 'Image brightness and contrast back to normal', group: 'View', keys: ['0'], enabled: hasImage, perform: resetImageAdjust });
}
