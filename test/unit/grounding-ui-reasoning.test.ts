// The reasoning stream store (renderer/src/grounding/reasoning.ts): tokens
// arriving between two frames become ONE store update per frame, and tokens
// of a query that is no longer shown are dropped. requestAnimationFrame is
// stubbed with a manual frame queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const frames: (() => void)[] = [];
const runFrame = () => frames.splice(0).forEach((f) => f());
// Computed path: keeps the Node-side typecheck from pulling DOM-typed renderer code into its program.
const REASONING = '../../renderer/src/grounding/reasoning';

type Mod = {
  useReasoning: { getState(): { queryId: string | null; visible: string; amodal: string; chunks: number }; subscribe(fn: () => void): () => void };
  beginReasoning(id: string): void;
  appendToken(id: string, kind: 'visible' | 'amodal', text: string): void;
  showReasoning(t: { visible: string; amodal: string } | null): void;
};
let m: Mod;

beforeAll(async () => {
  (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = (f: () => void) => frames.push(f);
  m = (await import(/* @vite-ignore */ REASONING)) as Mod;
});
afterAll(() => {
  delete (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame;
});

describe('reasoning stream', () => {
  it('applies all tokens of a frame in one update, per kind', () => {
    let updates = 0;
    const off = m.useReasoning.subscribe(() => updates++);
    m.beginReasoning('q1');
    updates = 0;
    for (let i = 0; i < 50; i++) m.appendToken('q1', i % 2 ? 'amodal' : 'visible', `${i} `);
    expect(m.useReasoning.getState().visible).toBe('');
    expect(frames).toHaveLength(1); // one frame requested for the whole burst
    runFrame();
    expect(updates).toBe(1);
    const s = m.useReasoning.getState();
    expect(s.visible.startsWith('0 2 4 ')).toBe(true);
    expect(s.amodal.startsWith('1 3 5 ')).toBe(true);
    expect(s.chunks).toBe(50);
    m.appendToken('q1', 'visible', 'more');
    runFrame();
    expect(m.useReasoning.getState().visible.endsWith('48 more')).toBe(true);
    off();
  });

  it('drops tokens of a query no longer shown, even when they were pending', () => {
    m.beginReasoning('old');
    m.appendToken('old', 'visible', 'stale');
    m.beginReasoning('new');
    m.appendToken('old', 'visible', 'late');
    m.appendToken('new', 'visible', 'fresh');
    runFrame();
    expect(m.useReasoning.getState()).toMatchObject({ queryId: 'new', visible: 'fresh' });
    m.showReasoning({ visible: 'stored', amodal: 'text' });
    m.appendToken('new', 'visible', 'x');
    runFrame();
    expect(m.useReasoning.getState()).toMatchObject({ queryId: null, visible: 'stored', amodal: 'text' });
  });
});
