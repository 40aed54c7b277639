import { describe, expect, it } from 'vitest';
import { SaveQueue, type SaveState } from '@core/save-queue';

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
    expect(q.state).toEqual({ status: 'error', pending: 2, error: 'update box 3 was not saved: disk full' });
    expect(sent).toEqual([]);
    fail = false;
    q.retry();
    await first;
    await q.idle();
    expect(sent).toEqual(['first', 'second']);
    expect(q.state.status).toBe('saved');
    expect(states.some((s) => s.status === 'saving')).toBe(true);
  });
});
