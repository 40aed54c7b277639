// The Evaluate dialog (issue 9, item 5 in the app), against a local
// OpenAI-style server whose answers are scripted per prompt: the figures are
// the hand-computed ones of messi5.jpg (548×342) below, the worst case opens
// its image. Screenshot of the dialog with the figures.
//   the player   truth [100, 50, 300, 250]  answer grid [200,150,600,750] → px [110,51,329,257]: IoU 37810 / 47304 = 0.799
//   the ball     truth [400, 250, 450, 300] no box                       → IoU 0
//   visible: n 2, Acc@0.5 50%, mean IoU 0.400
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import { WorkbenchPage } from './pages/workbench.page';

let server: FakeServer;
let harness: Harness;
let wb: WorkbenchPage;
let g: GroundingPage;

beforeAll(async () => {
  server = await startFakeOpenAIServer({
    record: false,
    answerByPrompt: {
      'Locate the player,': '```json\n[{"bbox_2d": [200, 150, 600, 750], "label": "the player"}]\n```',
      'Locate the ball,': NO_BOX_ANSWER,
    },
  });
  harness = await startHarness();
  wb = new WorkbenchPage(harness.page);
  g = new GroundingPage(harness.page);
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('Evaluate dialog', () => {
  it('scores the reviewed boxes, shows the figures and opens the worst case', async () => {
    const page = harness.page;
    await wb.openSample();
    await g.useServer(server.baseUrl, 'sk-e2e');
    await g.waitModelReady();
    await g.closeModelPanel();
    await page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const messi = imgs.find((i) => i.fileName === 'messi5.jpg');
      const base = { imageId: messi.id, categoryId: null, amodal: null, occluded: false, source: 'manual', model: null, score: null, reviewed: true };
      await window.egm['annotations:create']({ ...base, phrase: 'the player', visible: [100, 50, 300, 250] });
      await window.egm['annotations:create']({ ...base, phrase: 'the ball', visible: [400, 250, 450, 300] });
    })()`);

    await wb.selectImage('fruits.jpg');
    await page.getByTestId('btn-evaluate').click();
    await page.getByTestId('eval-kind').selectOption('visible');
    await page.getByTestId('eval-start').click();
    const row = page.getByTestId('eval-row-visible');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 6)).toEqual(['visible', '2', '50.0%', '0.400', '1', '0']);
    const worst = page.getByTestId('eval-worst');
    await expect.poll(() => worst.first().textContent()).toMatch(/the ball.*IoU 0\.00 · no-box/);
    await mkdir('test-results/screenshots', { recursive: true });
    await page.getByTestId('evaluate-dialog').locator('.dialog').screenshot({ path: 'test-results/screenshots/evaluate-dialog.png' });

    // Another image is on screen; opening the worst case closes the dialog on messi5.jpg.
    await worst.first().getByTestId('eval-open').click();
    await page.getByTestId('evaluate-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="image-row"][aria-selected="true"]').getAttribute('data-file')).toBe('messi5.jpg');
    expect(harness.errors).toEqual([]);
  });
});
