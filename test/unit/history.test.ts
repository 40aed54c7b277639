import { describe, expect, it } from 'vitest';
import { History, changesOf, diffRecords, invertStep, ofKind, type Change, type Step } from '@core/history';

interface Rec {
  id: number;
  x: number;
}
/** One kind of record here; the renderer's history holds two (annotation, proposal: grounding-ui.test.ts). */
type Kinds = { rec: Rec };
const eq = (a: Rec, b: Rec) => a.x === b.x;
const step = (label: string, changes: Change<Rec>[], sel: number[] = []): Step<Kinds> => ({ label, imageId: 1, changes: ofKind<Kinds, 'rec'>('rec', changes), selectionBefore: sel, selectionAfter: sel });
const recs = (s: Step<Kinds>) => changesOf(s.changes, 'rec');

describe('History', () => {
  it('undoes and redoes a create', () => {
    const h = new History<Kinds>();
    h.record(step('create', [{ type: 'create', after: { id: 1, x: 5 } }]));
    const u = h.undo()!;
    expect(u.changes).toEqual([{ kind: 'rec', change: { type: 'delete', before: { id: 1, x: 5 } } }]);
    expect(h.canUndo).toBe(false);
    const r = h.redo()!;
    expect(recs(r)).toEqual([{ type: 'create', after: { id: 1, x: 5 } }]);
    expect(h.canRedo).toBe(false);
  });

  it('a selection change does not drop redo', () => {
    const h = new History<Kinds>();
    h.record(step('edit', [{ type: 'update', before: { id: 1, x: 0 }, after: { id: 1, x: 1 } }]));
    h.undo();
    expect(h.canRedo).toBe(true);
    expect(h.record(step('select', [], [1]))).toBe(false);
    expect(h.canRedo).toBe(true);
    // a real edit does drop it
    h.record(step('edit2', [{ type: 'update', before: { id: 1, x: 0 }, after: { id: 1, x: 2 } }]));
    expect(h.canRedo).toBe(false);
  });

  it('inverts multi-change steps in reverse order and swaps selection', () => {
    const s: Step<Kinds> = {
      ...step('paste', [
        { type: 'create', after: { id: 1, x: 1 } },
        { type: 'delete', before: { id: 2, x: 2 } },
      ]),
      selectionBefore: [2],
      selectionAfter: [1],
    };
    const inv = invertStep(s);
    expect(recs(inv).map((c) => c.type)).toEqual(['create', 'delete']);
    expect(recs(inv)[0]).toEqual({ type: 'create', after: { id: 2, x: 2 } });
    expect(inv.selectionAfter).toEqual([2]);
  });

  it('keeps at most `limit` steps', () => {
    const h = new History<Kinds>(3);
    for (let i = 0; i < 5; i++) h.record(step(`s${i}`, [{ type: 'create', after: { id: i, x: i } }]));
    expect(h.size.undo).toBe(3);
    expect(h.undoLabel).toBe('s4');
  });
});

describe('diffRecords', () => {
  it('finds creates, deletes and updates', () => {
    const d = diffRecords<Rec>([{ id: 1, x: 1 }, { id: 2, x: 2 }], [{ id: 2, x: 3 }, { id: 3, x: 0 }], eq);
    expect(d.map((c) => c.type).sort()).toEqual(['create', 'delete', 'update']);
  });
});
