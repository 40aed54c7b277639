// The workbench the app is showing. main.tsx installs one at start-up; a test
// installs a fresh one per test. Module functions (app.get(), commit, undo,
// useApp(...)) reach their state through here, so components and commands
// keep their plain calls while every piece of mutable state lives in ONE
// object that can be made again. This slot is the only module-level mutable
// state the renderer keeps.
import type { StoreApi } from 'zustand';
import type { Workbench } from './workbench';

let current: Workbench | null = null;

/** Makes `wb` the workbench every module function acts on; returns the one it replaced. */
export function installWorkbench(wb: Workbench | null): Workbench | null {
  const before = current;
  current = wb;
  return before;
}

/** Whether `wb` is still the installed workbench: an answer that arrives after its workbench was replaced (a test's teardown) acts on nothing. */
export function isInstalled(wb: Workbench): boolean {
  return current === wb;
}

export function workbench(): Workbench {
  if (!current) throw new Error('no workbench installed: main.tsx (or the test) must call installWorkbench(createWorkbench(api)) first');
  return current;
}

/** Plain get/set/subscribe on one of the installed workbench's stores (app, view, ...), looked up at each call so a test's fresh workbench is the one acted on. */
export interface InstalledStore<S> {
  get(): S;
  set(patch: Partial<S> | ((s: S) => Partial<S>)): void;
  subscribe(listener: (s: S, prev: S) => void): () => void;
}

export function installedStore<S>(pick: (wb: Workbench) => StoreApi<S>): InstalledStore<S> {
  return {
    get: () => pick(workbench()).getState(),
    set: (patch) => pick(workbench()).setState(patch),
    subscribe: (listener) => pick(workbench()).subscribe(listener),
  };
}
