// Issue 9, item 3: the grounding queue adds a phrase to an existing object.
// A box is already labelled 'the player'; asking 'the man in red' finds the
// same box (the fake server's answer), and "Add as a phrase" keeps the one box,
// adds the phrase to it and takes the proposal away; undo puts both back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { WorkbenchPage } from './pages/workbench.page';

let server: FakeServer;
let harness: Harness;
let wb: WorkbenchPage;
let g: GroundingPage;

beforeAll(async () => {
  // The default answer, bbox_2d [100, 200, 500, 750], is [55, 68, 274, 257] on messi5.jpg (548×342).
  server = await startFakeOpenAIServer({ record: false });
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
  g = new GroundingPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

const stored = () =>
  harness.page.evaluate(`(async () => {
    const imgs = await window.egm['images:list']({});
    const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
    return { anns: await window.egm['annotations:list']({ imageId: messi.id }), proposals: await window.egm['proposals:list']({ imageId: messi.id }) };
  })()`) as Promise<{ anns: { phrase: string; morePhrases: string[] }[]; proposals: unknown[] }>;

describe('adding a phrase from the review queue', () => {
  it('adds the proposal’s phrase to the box it found again, as one undo step', async () => {
    const page = harness.page;
    await wb.openSample();
    await page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
      await window.egm['annotations:create']({ imageId: messi.id, categoryId: null, phrase: 'the player', visible: [56, 70, 272, 255], amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true });
    })()`);
    await wb.selectImage('fruits.jpg');
    await wb.selectImage('messi5.jpg');
    await g.useServer(server.baseUrl, 'sk-e2e');
    await g.waitModelReady();
    await g.closeModelPanel();
    await g.ground('the man in red');
    await g.waitProposal();
    const add = page.getByTestId('btn-add-phrase-to-match');
    await expect.poll(() => add.textContent()).toContain('the player');
    await add.click();
    await wb.waitSaved();
    await expect.poll(async () => (await stored()).anns.map((a) => [a.phrase, a.morePhrases])).toEqual([['the player', ['the man in red']]]);
    expect((await stored()).proposals).toHaveLength(0);
    await expect.poll(() => wb.boxRows.count()).toBe(1);

    await wb.press('Control+z');
    await wb.waitSaved();
    await expect.poll(async () => (await stored()).anns.map((a) => a.morePhrases)).toEqual([[]]);
    await expect.poll(async () => (await stored()).proposals.length).toBe(1);
    expect(harness.errors).toEqual([]);
  });
});
