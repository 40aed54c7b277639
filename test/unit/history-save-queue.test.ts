import { describe, expect, it } from 'vitest';
import { History, type Step } from '@core/history';
import { SaveQueue, type FailureView, type SaveState } from '@core/save-queue';

/** As the renderer sees failures (state/save-failure.ts): 'busy' may pass, anything else is refused. */
const view = (err: unknown): FailureView => {
  const reason = (err as Error).message;
  return { refused: !reason.startsWith('busy'), reason };
};

describe('SaveQueue (autosave)', () => {
  it('runs calls strictly in order', async () => {
    const order: number[] = [];
    const q = new SaveQueue();
    const slow = () => new Promise<void>((r) => setTimeout(r, 10));
    void q.push('a', async () => { await slow(); order.push(1); });
    void q.push('b', async () => { order.push(2); });
    await q.idle();
    expect(order).toEqual([1, 2]);
    expect(q.state.status).toBe('saved');
  });

  it('stops at a failure, keeps the edit, and retry resends it and the rest', async () => {
    const states: SaveState[] = [];
    let failed!: () => void;
    const stopped = new Promise<void>((resolve) => (failed = resolve));
    const q = new SaveQueue((s) => {
      states.push(s);
      if (s.status === 'error') failed();
    });
    let fail = true;
    const sent: string[] = [];
    const first = q.push('update box 3', async () => {
      if (fail) throw new Error('disk full');
      sent.push('first');
    });
    void q.push('create box', async () => { sent.push('second'); });
    await stopped; // the queue reports the failure; nothing after it has run
    expect(q.state).toEqual({ status: 'error', pending: 2, error: 'update box 3 was not saved: disk full', refused: null });
    expect(sent).toEqual([]);
    fail = false;
    q.retry();
    await first;
    await q.idle();
    expect(sent).toEqual(['first', 'second']);
    expect(q.state.status).toBe('saved');
    expect(states.some((s) => s.status === 'saving')).toBe(true);
  });

  it('takes a refused call out with the waiting calls of its edit; the caller takes the edit back and the rest go on (issue 16)', async () => {
    const q = new SaveQueue(() => {}, view);
    const sent: string[] = [];
    const edit = {};
    const takenBack: string[] = [];
    const a = q.push('Edit phrase', async () => { throw new Error('phrase: longer than the 2,000-character limit'); }, { edit, onRefused: (r) => takenBack.push(r) });
    const b = q.push('Edit phrase', async () => { sent.push('same edit'); }, { edit, onRefused: (r) => takenBack.push(r) });
    const c = q.push('Draw box', async () => { sent.push('next edit'); });
    expect(await Promise.all([a, b, c])).toEqual(['refused', 'refused', 'saved']);
    await q.idle();
    expect(sent).toEqual(['next edit']);
    expect(takenBack).toEqual(['phrase: longer than the 2,000-character limit']);
    expect(q.state).toEqual({ status: 'saved', pending: 0, error: null, refused: 'Edit phrase was not saved and is undone: phrase: longer than the 2,000-character limit' });
    q.dismissRefused();
    expect(q.state.refused).toBeNull();
  });

  it('keeps a call that may pass (busy) for Retry, and idle() waits for it', async () => {
    const q = new SaveQueue(() => {}, view);
    let busy = true;
    const first = q.push('Draw box', async () => {
      if (busy) throw new Error('busy: locked by egm import');
    });
    let idle = false;
    void q.idle().then(() => (idle = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(q.state).toMatchObject({ status: 'error', pending: 1, refused: null });
    expect(idle).toBe(false);
    busy = false;
    q.retry();
    expect(await first).toBe('saved');
    await q.idle();
    expect(idle).toBe(true);
  });

  it('discard() drops the waiting calls (another project opens): they never run, idle() resolves', async () => {
    const q = new SaveQueue(() => {}, view);
    const sent: string[] = [];
    const first = q.push('Draw box', async () => { throw new Error('busy'); });
    const second = q.push('Move box', async () => { sent.push('second'); });
    await new Promise((r) => setTimeout(r, 0));
    expect(q.unsavedEdits()).toBe(2);
    expect(q.discard()).toBe(2);
    expect(await Promise.all([first, second])).toEqual(['dropped', 'dropped']);
    await q.idle();
    expect(q.state).toEqual({ status: 'saved', pending: 0, error: null, refused: null });
    q.retry();
    expect(sent).toEqual([]);
  });

  it('counts the calls of one edit as one unsaved edit', () => {
    const q = new SaveQueue(() => {}, view);
    const edit = {};
    void q.push('Delete 2 boxes', () => new Promise(() => {}), { edit });
    void q.push('Delete 2 boxes', () => new Promise(() => {}), { edit });
    void q.push('Draw box', () => new Promise(() => {}));
    expect(q.state.pending).toBe(3);
    expect(q.unsavedEdits()).toBe(2);
  });
});

describe('History.drop (a refused edit leaves the history, issue 16)', () => {
  type K = { box: { id: number } };
  const step = (label: string): Step<K> => ({ label, imageId: 1, changes: [{ kind: 'box', change: { type: 'create', after: { id: 1 } } }], selectionBefore: [], selectionAfter: [] });

  it('drops a step as recorded, or as undo() and redo() handed it out', () => {
    const h = new History<K>();
    const a = step('a');
    const b = step('b');
    h.record(a);
    h.record(b);
    expect(h.drop(b)).toBe(true);
    expect(h.undoLabel).toBe('a');
    const undone = h.undo()!;
    expect(h.canRedo).toBe(true);
    expect(h.drop(undone)).toBe(true); // the inverted step finds the recorded one
    expect(h.size).toEqual({ undo: 0, redo: 0 });
    h.record(a);
    h.undo();
    const redone = h.redo()!;
    expect(h.drop(redone)).toBe(true);
    expect(h.drop(redone)).toBe(false);
  });
});
