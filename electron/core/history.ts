// Pure undo/redo for edits of one or more kinds of record (the renderer's:
// annotations and model proposals). A step is a list of tagged changes with full
// before/after snapshots, so undo and redo never need to ask the store what a
// record looked like. Rules (after excalidraw's store/history and tldraw's
// HistoryManager):
//  - a gesture (drag, resize) is ONE step, recorded when the pointer goes up:
//    the pointer controller snapshots at pointer-down and diffs at pointer-up;
//  - a step with no changes (e.g. a mere selection change) is not recorded and
//    does NOT drop the redo stack; only a real edit does.
// Applying a step (calling the store) is the caller's job: this module only
// says what to apply.

export type Change<T extends { id: number }> =
  | { type: 'create'; after: T }
  | { type: 'delete'; before: T }
  | { type: 'update'; before: T; after: T };

/** The kinds of record a history holds, by name: `{ annotation: Annotation; proposal: Proposal }`. */
export type RecordKinds = Record<string, { id: number }>;

/**
 * One change of one record, tagged with its kind, so one step can hold
 * changes of several kinds in order (accepting a model proposal deletes the
 * proposal and creates an annotation) and undo inverts them all alike.
 */
export type KindChange<K extends RecordKinds> = { [P in keyof K & string]: { kind: P; change: Change<K[P]> } }[keyof K & string];

export interface Step<K extends RecordKinds> {
  label: string;
  /** The image the edit happened on, so undo can bring it back into view. */
  imageId: number;
  changes: KindChange<K>[];
  selectionBefore: number[];
  selectionAfter: number[];
}

export function invertChange<T extends { id: number }>(c: Change<T>): Change<T> {
  switch (c.type) {
    case 'create':
      return { type: 'delete', before: c.after };
    case 'delete':
      return { type: 'create', after: c.before };
    case 'update':
      return { type: 'update', before: c.after, after: c.before };
  }
}

/** Tags changes of one kind. */
export function ofKind<K extends RecordKinds, P extends keyof K & string>(kind: P, changes: readonly Change<K[P]>[]): KindChange<K>[] {
  return changes.map((change) => ({ kind, change }) as KindChange<K>);
}

/** The changes of one kind in a step's list, in order. */
export function changesOf<C extends { kind: string; change: unknown }, P extends C['kind']>(changes: readonly C[], kind: P): Extract<C, { kind: P }>['change'][] {
  return changes.flatMap((c) => (c.kind === kind ? [c.change as Extract<C, { kind: P }>['change']] : []));
}

/** The step that undoes `s`: changes inverted in reverse order, selections swapped. */
export function invertStep<K extends RecordKinds>(s: Step<K>): Step<K> {
  return {
    label: s.label,
    imageId: s.imageId,
    changes: s.changes.map((c) => ({ kind: c.kind, change: invertChange(c.change) }) as KindChange<K>).reverse(),
    selectionBefore: s.selectionAfter,
    selectionAfter: s.selectionBefore,
  };
}

/** Changes turning `before` into `after` (matched by id); unchanged records give none. */
export function diffRecords<T extends { id: number }>(before: readonly T[], after: readonly T[], equal: (a: T, b: T) => boolean): Change<T>[] {
  const afterById = new Map(after.map((a) => [a.id, a]));
  const beforeIds = new Set(before.map((b) => b.id));
  const changes: Change<T>[] = [];
  for (const b of before) {
    const a = afterById.get(b.id);
    if (!a) changes.push({ type: 'delete', before: b });
    else if (!equal(b, a)) changes.push({ type: 'update', before: b, after: a });
  }
  for (const a of after) if (!beforeIds.has(a.id)) changes.push({ type: 'create', after: a });
  return changes;
}

export class History<K extends RecordKinds> {
  private undoStack: Step<K>[] = [];
  private redoStack: Step<K>[] = [];
  /** The recorded step each step undo() handed out inverts, so drop() can find it. */
  private readonly inverted = new WeakMap<Step<K>, Step<K>>();

  constructor(private readonly limit = 500) {}

  /** Records an edit. Returns false (and keeps redo) when the step changes nothing. */
  record(step: Step<K>): boolean {
    if (step.changes.length === 0) return false;
    this.undoStack.push(step);
    if (this.undoStack.length > this.limit) this.undoStack.shift();
    this.redoStack = [];
    return true;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
  get undoLabel(): string | null {
    return this.undoStack.at(-1)?.label ?? null;
  }
  get redoLabel(): string | null {
    return this.redoStack.at(-1)?.label ?? null;
  }

  /** Pops the last edit and returns the step to apply to undo it (null when none). */
  undo(): Step<K> | null {
    const step = this.undoStack.pop();
    if (!step) return null;
    this.redoStack.push(step);
    const applied = invertStep(step);
    this.inverted.set(applied, step);
    return applied;
  }

  /** Re-applies the last undone edit: returns the step to apply (null when none). */
  redo(): Step<K> | null {
    const step = this.redoStack.pop();
    if (!step) return null;
    this.undoStack.push(step);
    return step;
  }

  /**
   * Takes an edit out of the history, given as recorded or as undo()/redo()
   * handed it out: one the store refused (issue 16) is taken back on screen
   * and must not be undone or redone later. Returns whether it was there.
   */
  drop(step: Step<K>): boolean {
    const entry = this.inverted.get(step) ?? step;
    for (const stack of [this.undoStack, this.redoStack]) {
      const at = stack.lastIndexOf(entry);
      if (at >= 0) {
        stack.splice(at, 1);
        return true;
      }
    }
    return false;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  get size(): { undo: number; redo: number } {
    return { undo: this.undoStack.length, redo: this.redoStack.length };
  }
}
