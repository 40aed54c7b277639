// The reasoning stream (renderer/src/grounding/reasoning.ts): tokens arriving
// between two frames become ONE store update per frame, and tokens of a
// query that is no longer shown are dropped. The stream is made with a
// manual frame queue, as a workbench is given its frame scheduler.
import { beforeEach, describe, expect, it } from 'vitest';
import { ReasoningStream } from '../../renderer/src/grounding/reasoning';

let frames: (() => void)[];
let stream: ReasoningStream;
const runFrame = () => frames.splice(0).forEach((f) => f());

beforeEach(() => {
  frames = [];
  stream = new ReasoningStream((f) => frames.push(f));
});

describe('reasoning stream', () => {
  it('applies all tokens of a frame in one update, per kind', () => {
    let updates = 0;
    const off = stream.store.subscribe(() => updates++);
    stream.begin('q1');
    updates = 0;
    for (let i = 0; i < 50; i++) stream.append('q1', i % 2 ? 'amodal' : 'visible', `${i} `);
    expect(stream.store.getState().visible).toBe('');
    expect(frames).toHaveLength(1); // one frame requested for the whole burst
    runFrame();
    expect(updates).toBe(1);
    const s = stream.store.getState();
    expect(s.visible.startsWith('0 2 4 ')).toBe(true);
    expect(s.amodal.startsWith('1 3 5 ')).toBe(true);
    expect(s.chunks).toBe(50);
    stream.append('q1', 'visible', 'more');
    runFrame();
    expect(stream.store.getState().visible.endsWith('48 more')).toBe(true);
    off();
  });

  it('drops tokens of a query no longer shown, even when they were pending', () => {
    stream.begin('old');
    stream.append('old', 'visible', 'stale');
    stream.begin('new');
    stream.append('old', 'visible', 'late');
    stream.append('new', 'visible', 'fresh');
    runFrame();
    expect(stream.store.getState()).toMatchObject({ queryId: 'new', visible: 'fresh' });
    stream.show({ visible: 'stored', amodal: 'text' });
    stream.append('new', 'visible', 'x');
    runFrame();
    expect(stream.store.getState()).toMatchObject({ queryId: null, visible: 'stored', amodal: 'text' });
  });

  it('two streams (two workbenches) keep their own text and frames', () => {
    const other = new ReasoningStream((f) => frames.push(f));
    stream.begin('q');
    other.begin('q');
    stream.append('q', 'visible', 'mine');
    runFrame();
    expect(stream.store.getState().visible).toBe('mine');
    expect(other.store.getState().visible).toBe('');
  });
});
