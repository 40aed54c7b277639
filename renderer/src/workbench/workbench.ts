// The workbench: every piece of the renderer's mutable state in one object
// (issue 10) — the zustand stores, the undo history, the save queue, the id
// map, the canvas scenes, the timers, the API to main — so that the app makes
// ONE at start-up (main.tsx) and a test makes a fresh one per test over any
// EgmApi. Module functions (app.get(), commit, undo, useApp(...)) act on the
// installed one (current.ts).
import type { StoreApi } from 'zustand';
import { History, type Change } from '@core/history';
import type { EditRecords } from '../state/edits';
import { SaveQueue } from '@core/save-queue';
import type { Proposal } from '@core/types';
import type { EgmApi } from '@ipc/contract';
import { createBoxViewStore, type BoxViewState } from '../canvas/box-view';
import { createConfirmStore, type ConfirmState } from '../components/confirm';
import { DialogStack } from '../components/dialog-layer';
import type { LayerStats } from '../canvas/gesture-layers';
import { createScene, type Scene } from '../canvas/scene';
import { createProposalScene, type ProposalScene } from '../grounding/canvas/proposal-draw';
import type { Redrawable } from '../grounding/canvas/proposal-layer';
import { createCatalogStore, type CatalogState } from '../grounding/catalog';
import { ReasoningStream, type RequestFrame } from '../grounding/reasoning';
import { createGroundingStore, type GroundingState, type ProposalEditRecord } from '../grounding/store';
import { IdMap } from '../state/ids';
import { saveFailure } from '../state/save-failure';
import { createAppStore, type AppState } from '../state/store';
import { createViewStore, type ViewState } from '../state/view';
import { ViewportGesture } from '../state/viewport-gesture';
import { Timers } from './timers';

/**
 * What an undo/redo step needs from modules that themselves depend on the
 * edit code (project.ts, grounding/review.ts): wired by createWorkbench, so
 * no module registers a callback into another at import time.
 */
export interface WorkbenchLinks {
  /** Brings another image into view (undo of an edit made there). */
  navigate(imageId: number): Promise<void>;
  /** Shows the proposal changes of a step (accept, reject, their undo) in the review queue, and the proposal edits (handle drags) on the canvas. */
  applyProposals(changes: Change<Proposal>[], edits: Change<ProposalEditRecord>[]): void;
  /** Reads the image list again (counts, the category filter) after a category step reached the store. */
  refreshList(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Runs a callback at the next frame (reasoning tokens, batch progress); requestAnimationFrame in the app. */
  requestFrame?: RequestFrame;
  /** Where the user's canvas prefs (labels, box opacity) are kept; localStorage in the app, none in a test unless given. */
  prefs?: Pick<Storage, 'getItem' | 'setItem'> | null;
}

export class Workbench {
  readonly app: StoreApi<AppState> = createAppStore();
  readonly view: StoreApi<ViewState> = createViewStore();
  readonly grounding: StoreApi<GroundingState> = createGroundingStore();
  readonly catalog: StoreApi<CatalogState> = createCatalogStore();
  /** How the canvas shows boxes and the image: labels, opacity, hide/lock, brightness/contrast (canvas/box-view.ts). */
  readonly boxView: StoreApi<BoxViewState>;
  /** Where the reader's view prefs are kept (box view, compact image list): WorkbenchOptions.prefs. */
  readonly prefs: Pick<Storage, 'getItem' | 'setItem'> | null;
  /** The question ConfirmDialog asks before a bulk action (components/confirm.ts). */
  readonly confirm: StoreApi<ConfirmState> = createConfirmStore();
  /** The open dialogs, topmost last: they take Esc, Enter and keys aimed behind them (components/dialog-layer.ts). */
  readonly dialogs = new DialogStack();
  readonly reasoning: ReasoningStream;
  readonly requestFrame: RequestFrame;
  readonly timers = new Timers();
  readonly gesture = new ViewportGesture(this.timers);
  /** Edits of annotations, and of the model proposals an accept or reject consumed (issue 4). */
  readonly history = new History<EditRecords>();
  /** Autosave; a refused call leaves it and its edit is taken back (state/save-failure.ts, issue 16). */
  readonly saveQueue = new SaveQueue((save) => this.app.setState({ save }), saveFailure);
  readonly ids = new IdMap();
  readonly scene: Scene = createScene();
  readonly proposalScene: ProposalScene = createProposalScene();
  /** The Konva layer proposals are drawn on, while the canvas is mounted. */
  proposalLayer: Redrawable | null = null;
  /** Layer draws and CSS moves (bench/canvas-frames.ts reads them from the page). */
  readonly layerStats: LayerStats = { draws: 0, moves: 0 };
  /** Shift was held on the last command key (nudges move 10 px). */
  shiftHeld = false;
  /** Warnings already logged once (prefetch failures), by text. */
  readonly loggedOnce = new Set<string>();
  /** grounding/wiring.ts is listening to main's events for this workbench. */
  groundingStarted = false;
  private queries = 0;

  constructor(
    readonly api: EgmApi,
    readonly links: WorkbenchLinks,
    options: WorkbenchOptions = {},
  ) {
    this.requestFrame = options.requestFrame ?? ((fn) => requestAnimationFrame(fn));
    this.prefs = options.prefs !== undefined ? options.prefs : typeof localStorage !== 'undefined' ? localStorage : null;
    this.boxView = createBoxViewStore(this.prefs);
    this.reasoning = new ReasoningStream(this.requestFrame);
  }

  /** Numbers this workbench's grounding queries (their ids must not repeat within a session). */
  nextQueryNumber(): number {
    return ++this.queries;
  }

  /** Stops its timers; the stores stay readable. */
  dispose(): void {
    this.timers.dispose();
  }
}
