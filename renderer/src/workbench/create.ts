// Makes a workbench with its links to the modules that sit above the edit
// code (navigation, the review queue). Kept apart from workbench.ts so that
// file depends only on the state modules' factories.
import type { EgmApi } from '@ipc/contract';
import { applyProposalUndo } from '../grounding/review';
import { refreshImages, selectImage } from '../state/project';
import { Workbench, type WorkbenchOptions } from './workbench';

export function createWorkbench(api: EgmApi, options: WorkbenchOptions = {}): Workbench {
  return new Workbench(api, { navigate: selectImage, applyProposals: applyProposalUndo, refreshList: refreshImages }, options);
}
