// Keys 1–9 (issue 18, "Classes"): the category of that number — the project's
// categories by id, as the Categories dialog and the box list's strip number
// them — goes to every selected box at once (one undo step), or, with no box
// selected, to the proposal under review (it is accepted with it).
import type { CommandRegistry } from '@core/commands';
import { CATEGORY_KEYS, categoryOfKey } from '@core/category-colors';
import { patchBoxes } from '../state/annotate';
import { app, notify } from '../state/store';
import { setProposalCategory } from '../grounding/review';
import { activeProposal } from '../grounding/store';

/** The proposal under review on the image on screen, when no box is selected (the one keys act on then). */
function proposalOnScreen() {
  const p = activeProposal();
  return p && p.imageId === app.get().currentImageId && app.get().selection.length === 0 ? p : null;
}

export function assignCategoryKey(rank: number): void {
  const category = categoryOfKey(app.get().categories, rank);
  if (!category) return notify(`No category ${rank} yet: categories are numbered in the Categories dialog`);
  const { selection } = app.get();
  if (selection.length > 0) {
    patchBoxes(selection.length === 1 ? `Category '${category.name}'` : `Category '${category.name}' for ${selection.length} boxes`, selection, () => ({ categoryId: category.id }));
    return;
  }
  const p = proposalOnScreen();
  if (p) {
    setProposalCategory(p.id, category.id);
    notify(`The proposal will be accepted as '${category.name}'`);
    return;
  }
  notify('Select boxes first (or review a proposal) to give them a category');
}

export function registerCategoryKeys<C>(reg: CommandRegistry<C>): CommandRegistry<C> {
  const canAssign = () => app.get().currentImageId !== null && (app.get().selection.length > 0 || proposalOnScreen() !== null);
  for (let rank = 1; rank <= CATEGORY_KEYS; rank++) {
    reg.register({
      id: `category.${rank}`,
      label: rank === 1 ? 'Category 1–9 (as numbered in Categories…) for the selected boxes, or the proposal under review' : `Category ${rank}`,
      group: 'Edit',
      keys: [String(rank)],
      ...(rank === 1 ? { helpKeys: `1–${CATEGORY_KEYS}` } : { inHelp: false }),
      enabled: canAssign,
      perform: () => assignCategoryKey(rank),
    });
  }
  return reg;
}
