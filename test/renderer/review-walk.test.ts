// J / K through the review queue (issue 11): the image on screen's proposals
// first, then the next image in the list, and a "Last proposal" notice at the
// end instead of a silent wrap to the start. Real handler table, proposals
// put in main's store and the queue as a query's answer would be.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Proposal } from '@core/types';
import { applyProposalChanges, focusProposal } from '../../renderer/src/grounding/review';
import { TestWorkbench } from './test-workbench';

let tw: TestWorkbench;
beforeEach(async () => {
  tw = await TestWorkbench.open({ images: ['coffee.png', 'chelsea.png'], grounding: true });
});
afterEach(() => tw.dispose());

async function queue(list: { id: number; image: number; createdAt: number }[]): Promise<Proposal[]> {
  const out: Proposal[] = [];
  for (const p of list) {
    const proposal = {
      id: p.id, imageId: tw.images[p.image]!.id, phrase: `p${p.id}`, visible: [10, 10, 40, 40] as [number, number, number, number], amodal: null,
      reasoningVisible: '', reasoningAmodal: '', model: 'test', score: null, point: null, pointHit: null, reason: null, latencyMs: 5, batchId: null, createdAt: p.createdAt,
    };
    out.push(await tw.main.ok('proposals:restore', { proposal }));
  }
  applyProposalChanges({ added: out, removedIds: [] });
  return out;
}

/** Presses J (or K) and waits for the image of the proposal it put under review to be on screen. */
async function press(key: 'j' | 'k'): Promise<number | null> {
  await tw.keyDown(key).settled();
  const active = tw.grounding.queue.find((p) => p.id === tw.grounding.activeId);
  if (active) await tw.until(() => tw.app.currentImageId === active.imageId, `image ${active.imageId} on screen`);
  return tw.grounding.activeId;
}

describe('J / K through the review queue', () => {
  it('walks the image on screen first, then the next image in the list, and says "Last proposal" at the end', async () => {
    // Newest first (the queue's order) hops between the two images: 1 (chelsea), 2 (coffee), 3 (chelsea), 4 (coffee).
    await queue([
      { id: 801, image: 1, createdAt: 40 },
      { id: 802, image: 0, createdAt: 30 },
      { id: 803, image: 1, createdAt: 20 },
      { id: 804, image: 0, createdAt: 10 },
    ]);
    expect(tw.grounding.queue.map((p) => p.id)).toEqual([801, 802, 803, 804]);
    focusProposal(null, false);
    expect(tw.app.currentImageId).toBe(tw.images[0]!.id);
    const walked = [await press('j'), await press('j'), await press('j'), await press('j')];
    expect(walked).toEqual([802, 804, 801, 803]);
    expect(await press('j')).toBe(803); // no wrap to the start
    expect(tw.app.notice).toBe('Last proposal');
    expect(tw.app.currentImageId).toBe(tw.images[1]!.id);
  });

  it('K walks back across images and says "First proposal" at the start', async () => {
    await queue([
      { id: 811, image: 1, createdAt: 40 },
      { id: 812, image: 0, createdAt: 30 },
    ]);
    focusProposal(null, false);
    expect(await press('j')).toBe(812);
    expect(await press('j')).toBe(811);
    expect(await press('k')).toBe(812);
    expect(await press('k')).toBe(812);
    expect(tw.app.notice).toBe('First proposal');
  });
});
