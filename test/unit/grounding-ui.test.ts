// Pure rules of the grounding UI (electron/core/grounding-ui.ts), the
// command registry's deliberate overrides (Enter accepts a proposal, else
// marks boxes reviewed) and undo steps that carry linked proposal changes.
import { describe, expect, it } from 'vitest';
import { CommandRegistry } from '@core/commands';
import {
  proposalBoxes,
  batchSummary,
  batchChipText,
  canResume,
  latestBatch,
  countByImage,
  formatConfidence,
  formatEta,
  formatLatency,
  nextAfterRemoval,
  parsePhrases,
  parseRecent,
  pushRecent,
  stepQueue,
  walkOrder,
  stepRecent,
} from '@core/grounding-ui';
import { History, changesOf, invertStep, ofKind, type Step } from '@core/history';
import type { Proposal } from '@core/types';

function proposal(id: number, imageId: number, extra: Partial<Proposal> = {}): Proposal {
  return {
    id, imageId, phrase: `p${id}`, visible: [0, 0, 10, 10], amodal: null, reasoningVisible: '', reasoningAmodal: '', model: 'm',
    score: null, point: null, pointHit: null, reason: null, latencyMs: 100, batchId: null, createdAt: id, ...extra,
  };
}

describe('recent phrases', () => {
  it('puts the newest first, drops a repeat whatever its case, keeps ten', () => {
    let list: string[] = [];
    for (let i = 0; i < 12; i++) list = pushRecent(list, `phrase ${i}`);
    expect(list).toHaveLength(10);
    expect(list[0]).toBe('phrase 11');
    list = pushRecent(list, '  PHRASE 5 ');
    expect(list[0]).toBe('PHRASE 5');
    expect(list.filter((x) => x.toLowerCase() === 'phrase 5')).toHaveLength(1);
    expect(pushRecent(['a'], '   ')).toEqual(['a']);
  });

  it('reads back only a list of strings', () => {
    expect(parseRecent(JSON.stringify(['a', 3, '', 'b']))).toEqual(['a', 'b']);
    expect(parseRecent('{not json')).toEqual([]);
    expect(parseRecent('{"a":1}')).toEqual([]);
    expect(parseRecent(null)).toEqual([]);
  });

  it('walks up to the oldest and back down to the draft', () => {
    expect(stepRecent(-1, 1, 3)).toBe(0);
    expect(stepRecent(2, 1, 3)).toBe(2);
    expect(stepRecent(0, -1, 3)).toBe(-1);
    expect(stepRecent(-1, -1, 3)).toBe(-1);
    expect(stepRecent(-1, 1, 0)).toBe(-1);
  });
});

describe('batch phrases', () => {
  it('one per line, trimmed, without blanks or repeats', () => {
    expect(parsePhrases(' the ball \r\n\n the table\nThe Ball\n')).toEqual(['the ball', 'the table']);
  });
});

describe('review queue walk', () => {
  const q = [proposal(1, 10), proposal(2, 11), proposal(3, 11), proposal(4, 12)];

  // Arrival order hops between images: 1 (img 10), 2 (11), 3 (11), 4 (12); the image list reads 12, 10, 11.
  const arrived = [proposal(1, 10), proposal(2, 11), proposal(5, 12), proposal(3, 11), proposal(4, 10)];
  const list = [12, 10, 11];

  it('walks image by image in image-list order, each image in queue order', () => {
    expect(walkOrder(arrived, list).map((p) => p.id)).toEqual([5, 1, 4, 2, 3]);
    // An image the list does not show (filtered out) comes after the listed ones.
    expect(walkOrder(arrived, [11]).map((p) => p.id)).toEqual([2, 3, 1, 4, 5]);
  });

  it('J and K step through that walk from the proposal under review on the image on screen', () => {
    expect(stepQueue(arrived, 1, 1, 10, list)).toMatchObject({ id: 4 });
    expect(stepQueue(arrived, 4, 1, 10, list)).toMatchObject({ id: 2 }); // on to the next image in the list
    expect(stepQueue(arrived, 2, -1, 11, list)).toMatchObject({ id: 4 });
    expect(stepQueue([], null, 1, null, list)).toBeNull();
  });

  it('says "end" past the last proposal (J) and before the first (K) instead of wrapping', () => {
    expect(stepQueue(arrived, 3, 1, 11, list)).toBe('end');
    expect(stepQueue(arrived, 5, -1, 12, list)).toBe('end');
  });

  it('starts on the image on screen: its first (J) or last (K) proposal, also when the one under review is elsewhere', () => {
    expect(stepQueue(arrived, null, 1, 11, list)).toMatchObject({ id: 2 });
    expect(stepQueue(arrived, null, -1, 10, list)).toMatchObject({ id: 4 });
    expect(stepQueue(arrived, 5, 1, 11, list)).toMatchObject({ id: 2 }); // 5 is on image 12, not on screen
  });

  it('with none on the image on screen, goes to the nearest image with proposals in the step direction, else starts at that end of the walk', () => {
    const q = [proposal(1, 10), proposal(2, 13)];
    const order = [10, 11, 12, 13];
    expect(stepQueue(q, null, 1, 11, order)).toMatchObject({ id: 2 });
    expect(stepQueue(q, null, -1, 11, order)).toMatchObject({ id: 1 });
    expect(stepQueue(q, null, 1, 14, [...order, 14])).toMatchObject({ id: 1 }); // nothing after image 14: J starts at the top
    expect(stepQueue(q, null, -1, 9, [9, ...order])).toMatchObject({ id: 2 }); // nothing before image 9: K starts at the bottom
    expect(stepQueue(q, null, 1, 99, order)).toMatchObject({ id: 1 }); // an image not listed: from the top
  });

  it('after a removal moves to the next on the same image, else the next in order', () => {
    expect(nextAfterRemoval(q, 2)!.id).toBe(3);
    expect(nextAfterRemoval(q, 3)!.id).toBe(2);
    expect(nextAfterRemoval(q, 1)!.id).toBe(2);
    expect(nextAfterRemoval(q, 4)!.id).toBe(3);
    expect(nextAfterRemoval([proposal(1, 1)], 1)).toBeNull();
  });

  it('counts proposals per image for the badges', () => {
    expect([...countByImage(q)]).toEqual([[10, 1], [11, 2], [12, 1]]);
  });
});

describe('figures shown', () => {
  it('formats latency, confidence, ETA and a batch line', () => {
    expect(formatLatency(840.4)).toBe('840 ms');
    expect(formatLatency(3240)).toBe('3.2 s');
    expect(formatLatency(12_500)).toBe('13 s');
    expect(formatConfidence(null)).toBe('greedy');
    expect(formatConfidence(0.8666)).toBe('conf 0.87');
    expect(formatEta(null)).toBe('—');
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3725)).toBe('1:02:05');
    const batch = { id: 1, phrases: ['the dog'], noBox: 0, skipped: 0, startedAt: 0 };
    expect(batchSummary({ ...batch, state: 'running', total: 300, done: 120, failed: 2, throughput: 18.46, etaSeconds: 10 })).toBe('120/300 · 2 failed · 18.5 items/s · ETA 10 s · running');
    expect(batchSummary({ ...batch, state: 'done', total: 3, done: 3, failed: 0, throughput: 1, etaSeconds: 0 })).toBe('3/3 · done');
    const paused = { ...batch, state: 'paused' as const, total: 3, done: 1, failed: 0, throughput: 1, etaSeconds: null, reason: 'paused: the server failed for 60 s' };
    expect(batchSummary(paused)).toBe('1/3 · paused — paused: the server failed for 60 s');
    // Issue 18: the no-box answers and the pairs not asked again are counted; an interrupted batch says so.
    expect(batchSummary({ ...batch, state: 'done', total: 96, done: 96, failed: 0, noBox: 32, skipped: 4, throughput: 1.2, etaSeconds: 0 })).toBe('96/96 · 32 no box · 4 answered before · done');
    expect(batchSummary({ ...paused, reason: 'interrupted: the app stopped while it ran', interrupted: true })).toBe('1/3 · interrupted — interrupted: the app stopped while it ran');
    expect(batchChipText({ ...batch, state: 'running', total: 96, done: 40, failed: 0, noBox: 12, throughput: 1.2, etaSeconds: 47 })).toBe('Batch 40/96 · 12 no box · ETA 47 s');
    expect(batchChipText({ ...paused, interrupted: true })).toBe('Batch interrupted 1/3');
    expect([canResume(null), canResume({ ...paused }), canResume({ ...paused, state: 'running' }), canResume({ ...paused, done: 3 })]).toEqual([false, true, false, false]);
  });

  it('keeps the newer snapshot of a batch whichever arrives last (a start reply after the run already ended)', () => {
    const base = { id: 7, phrases: ['the dog'], total: 3, failed: 0, noBox: 0, skipped: 3, throughput: 0, etaSeconds: null, startedAt: 0 };
    const started = { ...base, state: 'running' as const, done: 0, seq: 10 };
    const ended = { ...base, state: 'done' as const, done: 3, seq: 12 };
    expect(latestBatch(ended, started)).toBe(ended); // batch:start's reply came after the 'done' event
    expect(latestBatch(started, ended)).toBe(ended);
    // Another batch, a status without a number (an interrupted one read from the store), or none: the one received.
    const next = { ...started, id: 8, seq: 5 };
    expect(latestBatch(ended, next)).toBe(next);
    const stored = { ...ended, seq: undefined };
    expect(latestBatch(ended, stored)).toBe(stored);
    expect(latestBatch(null, started)).toBe(started);
    expect(latestBatch(ended, null)).toBeNull();
  });

  it('one rule for the boxes of a proposal (shown, drawn, dragged, accepted): the user edit when there is one', () => {
    const p = proposal(1, 1, { amodal: [0, 0, 20, 20] });
    expect(proposalBoxes(p, undefined)).toEqual({ visible: [0, 0, 10, 10], amodal: [0, 0, 20, 20] });
    expect(proposalBoxes(p, { visible: [1, 1, 5, 5], amodal: null })).toEqual({ visible: [1, 1, 5, 5], amodal: null });
  });
});

describe('command overrides', () => {
  const key = (k: string, shift = false) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: shift, altKey: false });

  it('an overriding command wins while enabled, whatever the order, and is not a conflict', () => {
    let proposalShown = false;
    const reg = new CommandRegistry<null>()
      .register({ id: 'edit.reviewed', label: 'reviewed', group: 'Edit', keys: ['Enter'], perform: () => {} })
      .register({ id: 'proposal.accept', label: 'accept', group: 'Grounding', keys: ['Enter'], overrides: ['edit.reviewed'], enabled: () => proposalShown, perform: () => {} });
    expect(reg.conflicts()).toEqual([]);
    expect(reg.forKey(key('Enter'), null)!.id).toBe('edit.reviewed');
    proposalShown = true;
    expect(reg.forKey(key('Enter'), null)!.id).toBe('proposal.accept');
    expect(reg.forKey(key('Enter', true), null)).toBeNull();
  });

  it('still reports a clash the commands did not declare', () => {
    const reg = new CommandRegistry<null>()
      .register({ id: 'a', label: 'a', group: 'Edit', keys: ['J'], perform: () => {} })
      .register({ id: 'b', label: 'b', group: 'Edit', keys: ['J'], overrides: ['c'], perform: () => {} });
    expect(reg.conflicts()).toEqual(['J: a, b']);
  });
});

describe('undo steps holding annotation and proposal changes', () => {
  type A = { id: number; v: number };
  type Kinds = { annotation: A; proposal: Proposal };
  const step = (label: string, changes: Step<Kinds>['changes']): Step<Kinds> => ({ label, imageId: 1, changes, selectionBefore: [], selectionAfter: [] });

  it('a reject (a proposal change only) is recorded, and undo inverts it', () => {
    const h = new History<Kinds>();
    const p = proposal(7, 1);
    expect(h.record(step('Reject', ofKind<Kinds, 'proposal'>('proposal', [{ type: 'delete', before: p }])))).toBe(true);
    const undo = h.undo()!;
    expect(undo.changes).toEqual([{ kind: 'proposal', change: { type: 'create', after: p } }]);
    expect(changesOf(h.redo()!.changes, 'proposal')).toEqual([{ type: 'delete', before: p }]);
    expect(h.record(step('nothing', []))).toBe(false);
  });

  it('an accept inverts to delete-the-annotations and restore-the-proposals, all in reverse order', () => {
    const accept = step('Accept 2', [
      { kind: 'annotation', change: { type: 'create', after: { id: 10, v: 1 } } },
      { kind: 'proposal', change: { type: 'delete', before: proposal(1, 1) } },
      { kind: 'annotation', change: { type: 'create', after: { id: 11, v: 2 } } },
      { kind: 'proposal', change: { type: 'delete', before: proposal(2, 1) } },
    ]);
    const inv = invertStep(accept);
    expect(inv.changes.map((c) => `${c.kind} ${c.change.type} ${c.change.type === 'create' ? c.change.after.id : c.change.type === 'delete' ? c.change.before.id : ''}`)).toEqual([
      'proposal create 2',
      'annotation delete 11',
      'proposal create 1',
      'annotation delete 10',
    ]);
    expect(changesOf(inv.changes, 'annotation').map((c) => c.type)).toEqual(['delete', 'delete']);
  });
});
