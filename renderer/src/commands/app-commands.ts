// Every workbench action as a registered command: the keyboard handler, the
// toolbar and the help overlay all read this one list.
import { CommandRegistry } from '@core/commands';
import { fitView, oneToOne, zoomStep, zoomTo } from '../canvas/viewport';
import { registerViewCommands } from '../canvas/view-commands';
import { registerGroundingCommands } from '../grounding/commands';
import { registerCategoryKeys } from './category-keys';
import {
  copySelected,
  cycleSelection,
  deleteSelected,
  deriveAmodal,
  nudgeSelected,
  paste,
  patchSelected,
  removeAmodal,
  select,
  toggleFlag,
} from '../state/annotate';
import { history, redo, saveQueue, undo } from '../state/edits';
import {
  addImagesDialog,
  createProjectDialog,
  importCocoDialog,
  markImageDone,
  openProjectDialog,
  selectImage,
  stepImage,
  toggleUnreviewed,
} from '../state/project';
import { shownImages } from '../state/shown-images';
import { app, selectedAnnotations, type AppState } from '../state/store';
import { workbench } from '../workbench/current';
import { blurFocus } from '../focus';
import { focusImageSearch } from '../state/filter-images';
import { confirmRemoveImage } from '../state/remove-image';

export type Ctx = AppState;

const hasImage = (s: Ctx) => s.currentImageId !== null;
const hasSelection = (s: Ctx) => s.selection.length > 0;
const hasProject = (s: Ctx) => s.project !== null;

export const commands = new CommandRegistry<Ctx>()
  // Tools
  .register({ id: 'tool.select', label: 'Select / move tool', group: 'Tools', keys: ['V'], perform: () => app.set({ tool: 'select' }) })
  .register({ id: 'tool.visible', label: 'Draw visible box', group: 'Tools', keys: ['R'], perform: () => app.set({ tool: 'visible' }) })
  .register({ id: 'tool.amodal', label: 'Draw amodal box for the selected object (Alt: allow it not to contain the visible box)', group: 'Tools', keys: ['A'], perform: () => app.set({ tool: 'amodal' }) })
  // Edit
  .register({ id: 'edit.undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], enabled: () => history.canUndo, perform: () => undo() })
  .register({ id: 'edit.redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], enabled: () => history.canRedo, perform: () => redo() })
  .register({ id: 'edit.delete', label: 'Delete selected boxes', group: 'Edit', keys: ['Delete', 'Backspace'], enabled: hasSelection, perform: deleteSelected })
  .register({ id: 'edit.deriveAmodal', label: 'Derive amodal box from the visible box', group: 'Edit', keys: ['D'], enabled: hasSelection, perform: deriveAmodal })
  .register({ id: 'edit.removeAmodal', label: 'Remove amodal box', group: 'Edit', keys: ['Shift+D'], enabled: hasSelection, perform: removeAmodal })
  .register({ id: 'edit.occluded', label: 'Toggle occluded flag (of every selected box: on, or off when all have it)', group: 'Edit', keys: ['O'], enabled: hasSelection, perform: () => toggleFlag('Toggle occluded', 'occluded', selectedAnnotations()) })
  .register({ id: 'edit.reviewed', label: 'Mark selected as reviewed', group: 'Edit', keys: ['Enter'], enabled: hasSelection, perform: () => patchSelected('Mark reviewed', () => ({ reviewed: true })) })
  .register({ id: 'edit.copy', label: 'Copy selected boxes', group: 'Edit', keys: ['Mod+C'], enabled: hasSelection, perform: copySelected })
  .register({ id: 'edit.paste', label: 'Paste boxes onto this image', group: 'Edit', keys: ['Mod+V'], enabled: (s) => hasImage(s) && s.clipboard.length > 0, perform: paste })
  .register({
    id: 'edit.copyToNext',
    label: 'Copy selected boxes to the next image',
    group: 'Edit',
    keys: ['Shift+N'],
    enabled: hasSelection,
    perform: async () => {
      copySelected();
      const before = app.get().currentImageId;
      await stepImage(1);
      if (app.get().currentImageId !== before) paste();
    },
  })
  .register({ id: 'edit.nudgeLeft', label: 'Nudge left (Shift: 10 px)', group: 'Edit', keys: ['ArrowLeft', 'Shift+ArrowLeft'], enabled: hasSelection, perform: () => nudgeSelected(-step(), 0) })
  .register({ id: 'edit.nudgeRight', label: 'Nudge right', group: 'Edit', keys: ['ArrowRight', 'Shift+ArrowRight'], enabled: hasSelection, perform: () => nudgeSelected(step(), 0) })
  .register({ id: 'edit.nudgeUp', label: 'Nudge up', group: 'Edit', keys: ['ArrowUp', 'Shift+ArrowUp'], enabled: hasSelection, perform: () => nudgeSelected(0, -step()) })
  .register({ id: 'edit.nudgeDown', label: 'Nudge down', group: 'Edit', keys: ['ArrowDown', 'Shift+ArrowDown'], enabled: hasSelection, perform: () => nudgeSelected(0, step()) })
  // Selection
  .register({ id: 'select.all', label: 'Select all boxes', group: 'Selection', keys: ['Mod+A'], enabled: hasImage, perform: (s) => select(s.annotations.map((a) => a.id)) })
  .register({ id: 'select.none', label: 'Deselect / cancel', group: 'Selection', keys: ['Escape'], inTextField: true, perform: () => {
    blurFocus();
    app.set({ selection: [], helpOpen: false, exportOpen: false });
  } })
  .register({ id: 'select.next', label: 'Select next box (Tab on a control moves focus instead)', group: 'Selection', keys: ['Tab'], enabled: hasImage, perform: () => cycleSelection(1) })
  .register({ id: 'select.prev', label: 'Select previous box', group: 'Selection', keys: ['Shift+Tab'], enabled: hasImage, perform: () => cycleSelection(-1) })
  // View
  .register({ id: 'view.fit', label: 'Fit image to view', group: 'View', keys: ['F'], enabled: hasImage, perform: fitView })
  // Ctrl+1 (as in image editors): the plain digits 1–9 give categories (category-keys.ts).
  .register({ id: 'view.actual', label: 'Actual size (1:1)', group: 'View', keys: ['Mod+1'], enabled: hasImage, perform: oneToOne })
  .register({ id: 'view.zoomIn', label: 'Zoom in (steps land on 100, 200, 400 %)', group: 'View', keys: ['+', '='], enabled: hasImage, perform: () => zoomStep(1) })
  .register({ id: 'view.zoomOut', label: 'Zoom out', group: 'View', keys: ['-'], enabled: hasImage, perform: () => zoomStep(-1) })
  .register({ id: 'view.zoom200', label: 'Zoom to 200 %', group: 'View', keys: ['Mod+2'], enabled: hasImage, perform: () => zoomTo(2) })
  .register({ id: 'view.zoom400', label: 'Zoom to 400 % (pixels drawn as blocks above 200 %)', group: 'View', keys: ['Mod+4'], enabled: hasImage, perform: () => zoomTo(4) })
  .register({ id: 'view.help', label: 'Show / hide shortcuts', group: 'View', keys: ['?'], perform: (s) => app.set({ helpOpen: !s.helpOpen }) })
  // Images
  .register({ id: 'image.next', label: 'Next image', group: 'Images', keys: ['N'], enabled: hasProject, perform: () => stepImage(1) })
  .register({ id: 'image.prev', label: 'Previous image', group: 'Images', keys: ['P'], enabled: hasProject, perform: () => stepImage(-1) })
  .register({ id: 'image.first', label: 'First image', group: 'Images', keys: ['Home'], enabled: (s) => shownImages(s).length > 0, perform: (s) => selectImage(shownImages(s)[0]!.id) })
  .register({ id: 'image.last', label: 'Last image', group: 'Images', keys: ['End'], enabled: (s) => shownImages(s).length > 0, perform: (s) => selectImage(shownImages(s).at(-1)!.id) })
  .register({ id: 'image.done', label: 'Mark image done / not done', group: 'Images', keys: ['M'], enabled: hasImage, perform: markImageDone })
  .register({ id: 'image.unreviewed', label: 'Show only images with unreviewed boxes', group: 'Images', keys: ['U'], enabled: hasProject, perform: toggleUnreviewed })
  .register({ id: 'image.remove', label: 'Remove the image from the project (asks first; the file stays on disk)', group: 'Images', keys: ['Shift+Delete'], enabled: hasImage, perform: () => confirmRemoveImage() })
  .register({ id: 'image.search', label: 'Search the image list by file name', group: 'Images', keys: ['Mod+F'], inTextField: true, enabled: hasProject, perform: focusImageSearch })
  // Project
  .register({ id: 'project.open', label: 'Open project…', group: 'Project', keys: ['Mod+O'], perform: openProjectDialog })
  .register({ id: 'project.create', label: 'New project…', group: 'Project', keys: ['Mod+Shift+N'], perform: createProjectDialog })
  .register({ id: 'project.addImages', label: 'Add images…', group: 'Project', keys: ['Mod+I'], enabled: hasProject, perform: addImagesDialog })
  .register({ id: 'project.export', label: 'Export…', group: 'Project', keys: ['Mod+E'], enabled: hasProject, perform: () => app.set({ exportOpen: true }) })
  .register({ id: 'project.categories', label: 'Categories…', group: 'Project', keys: [], enabled: hasProject, perform: () => app.set({ categoriesOpen: true }) })
  .register({ id: 'project.evaluate', label: 'Evaluate the model…', group: 'Project', keys: [], enabled: hasProject, perform: () => app.set({ evalOpen: true }) })
  .register({ id: 'project.import', label: 'Import COCO…', group: 'Project', keys: ['Mod+Shift+I'], enabled: hasProject, perform: importCocoDialog })
  .register({ id: 'save.retry', label: 'Retry failed save', group: 'Project', keys: ['Mod+S'], enabled: (s) => s.save.status === 'error', perform: () => saveQueue.retry() });
// Phrase grounding, proposals and the review queue (issue 4).
registerGroundingCommands(commands);
// Canvas view: labels, hide/lock, brightness/contrast (issue 11).
registerViewCommands(commands);
// Keys 1–9: a category for the selection or the proposal under review (issue 18).
registerCategoryKeys(commands);

/** Nudge distance in image px: Shift (held on the command's key) moves 10. */
function step(): number {
  return workbench().shiftHeld ? 10 : 1;
}
export function setShiftHeld(v: boolean): void {
  workbench().shiftHeld = v;
}
