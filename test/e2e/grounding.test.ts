// Phrase-and-point grounding end to end (issue 4): built renderer in Chromium,
// window.egm bridged to the real handlers, the model either the tiny local
// ONNX model (model host child process) or a local OpenAI-style server.
// Set up the model in the model panel, type a phrase on messi5.jpg, see the
// reasoning arrive and both boxes, accept (and undo), reject (and undo), a
// point hint that the box misses (flag + Retry), edit a proposal's handle and
// accept it, batch three images, walk the queue with J, accept all on an
// image, export COCO and find the accepted boxes with source 'model'.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation } from '@core/types';
import { startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { SCRIPTED_REASONING, tinyModelDir } from '../helpers/tiny-model';
import { startHarness, type Harness } from './harness';
import { GroundingPage, parseBox } from './pages/grounding.page';

const MESSI: [number, number] = [548, 342];
const BATCH_FILES = ['fruits.jpg', 'home.jpg', 'rocket.jpg'];
const SHOTS = 'test-results/screenshots';

interface Backend {
  name: 'server' | 'local';
  reasoning: string;
  setUp(g: GroundingPage): Promise<void>;
  /** Slow the answer down so the stream can be watched (server only). */
  slow?(on: boolean): void;
  shotSuffix: string;
}

let server: FakeServer;
const REASONING = 'The phrase names the player in red; he stands left of centre, his legs partly hidden by the ball.';

const backends: Backend[] = [
  {
    name: 'server',
    reasoning: REASONING,
    setUp: async (g) => {
      await g.useServer(server.baseUrl, 'sk-e2e-secret');
      await g.waitModelReady();
    },
    slow: (on) => server.configure({ durationMs: on ? 1500 : null }),
    shotSuffix: '',
  },
  {
    name: 'local',
    reasoning: SCRIPTED_REASONING.slice(0, 20),
    setUp: async (g) => {
      await g.useLocalModel();
      await g.waitModelReady();
    },
    shotSuffix: '-local',
  },
];

// Completions alternate between two answers: the visible and amodal requests of a query differ
// (the amodal one reaches lower and further right), and self-consistency samples disagree a little.
const VISIBLE_ANSWER = '```json\n[{"bbox_2d": [100, 200, 500, 750], "label": "the player"}]\n```';
const AMODAL_ANSWER = '```json\n[{"bbox_2d": [100, 200, 560, 950], "label": "the player"}]\n```';

beforeAll(async () => {
  server = await startFakeOpenAIServer({ reasoning: REASONING, chunkChars: 6, answers: [VISIBLE_ANSWER, AMODAL_ANSWER] });
});
afterAll(() => server?.close());

describe.each(backends)('grounding in the workbench ($name)', (backend) => {
  let harness: Harness;
  let g: GroundingPage;
  let outDir: string;
  const stored = async (file: string) =>
    (await harness.page.evaluate(`(async () => {
      const imgs = await window.egm['images:list']({});
      const img = imgs.find((i) => i.fileName === ${JSON.stringify(file)});
      return window.egm['annotations:list']({ imageId: img.id });
    })()`)) as Annotation[];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), `egm-e2e-grounding-${backend.name}-`));
    harness = await startHarness({ dialogs: { saveCoco: join(outDir, 'export.json'), pickModelFolder: await tinyModelDir() } });
    g = new GroundingPage(harness.page);
    await g.wb.openSample();
  });
  afterAll(async () => {
    await harness?.close(); // also ends the model host
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('sets up the model, streams reasoning, shows both boxes, accepts/rejects with undo, retries a missed point, edits and accepts', async () => {
    await backend.setUp(g);
    await g.page.getByTestId('btn-health').click();
    await g.page.getByTestId('health-result').getByText(/^OK/).waitFor();
    await expect(g.page.getByTestId('model-device-status').textContent()).resolves.toContain(backend.name === 'server' ? server.baseUrl : 'local: cpu');
    if (backend.name === 'server') await expect(g.page.getByTestId('api-key').inputValue()).resolves.toBe(''); // never shown back
    // The app's pixel cap is a visible setting, shown whole (it once read "10035" in a field sized for 4 digits).
    const cap = g.page.getByTestId('panel-max-pixels');
    await expect(cap.inputValue()).resolves.toBe('1003520');
    await expect(cap.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth)).resolves.toBe(true);
    await mkdir(SHOTS, { recursive: true });
    await g.page.screenshot({ path: `${SHOTS}/grounding-model${backend.shotSuffix}.png` });
    await cap.fill('500000');
    await cap.press('Enter');
    await expect.poll(async () => (await g.page.evaluate(`window.egm['model:getSettings']({})`) as { grounding: { maxPixels: number } }).grounding.maxPixels).toBe(500_000);
    await cap.fill('1003520');
    await cap.press('Enter');
    await g.closeModelPanel();
    await g.wb.selectImage('messi5.jpg');

    // 0. Esc cancels a running query (nothing is stored); ↑ in the phrase bar brings the phrase back.
    if (backend.slow) {
      backend.slow(true);
      await g.ground('something to cancel');
      await g.page.getByTestId('btn-cancel-query').waitFor();
      await g.page.keyboard.press('Escape'); // focus is still in the phrase bar: Esc works there too
      await g.page.getByTestId('btn-ground').waitFor();
      await g.wb.notice.getByText('Cancelled "something to cancel"').waitFor();
      await expect(g.queueRows.count()).resolves.toBe(0);
      await g.wb.press('/');
      await g.input.fill('');
      await g.input.press('ArrowUp');
      await expect(g.input.inputValue()).resolves.toBe('something to cancel');
    }

    // 1. A phrase: the reasoning streams in (slowly, for the server), then both boxes.
    backend.slow?.(true);
    await g.ground('the player in the red shirt');
    if (backend.slow) {
      await g.page.locator('[data-testid="reasoning-panel"][data-streaming="true"]').waitFor();
      await expect.poll(() => g.reasoningVisible.textContent()).toMatch(/\w{3,}/);
      expect(await g.page.getByTestId('btn-accept').count()).toBe(0); // still streaming
    }
    await g.waitProposal();
    backend.slow?.(false);
    await expect.poll(() => g.reasoningVisible.textContent()).toContain(backend.reasoning);
    await expect(g.reasoningAmodal.textContent()).resolves.toContain(backend.reasoning);
    const boxes = await g.proposalBoxes();
    expect(boxes.visible[2]!).toBeGreaterThan(boxes.visible[0]!);
    expect(boxes.amodal[3]!).toBeGreaterThan(boxes.amodal[1]!);
    await expect.poll(() => g.proposalBadge('messi5.jpg').textContent()).toBe('1');
    await g.page.screenshot({ path: `${SHOTS}/grounding-proposal${backend.shotSuffix}.png` });

    // 2. Enter accepts: an annotation with source 'model'; Ctrl+Z puts the proposal back; Enter again.
    await g.wb.press('Enter');
    await expect.poll(() => g.wb.boxRows.count()).toBe(1);
    await g.proposalPanel.waitFor({ state: 'detached' });
    await g.wb.waitSaved();
    expect((await stored('messi5.jpg'))[0]).toMatchObject({ source: 'model', reviewed: true, phrase: 'the player in the red shirt' });
    await g.wb.press('Control+z');
    await expect.poll(() => g.wb.boxRows.count()).toBe(0);
    await g.waitProposal();
    await g.wb.waitSaved();
    expect(await stored('messi5.jpg')).toHaveLength(0);
    await g.wb.press('Enter');
    await expect.poll(() => g.wb.boxRows.count()).toBe(1);

    // 3. Backspace rejects; undo restores; reject again.
    await g.ground('the ball');
    await g.waitProposal();
    await expect(g.page.getByTestId('proposal-phrase').textContent()).resolves.toContain('the ball');
    await g.wb.press('Backspace');
    await g.proposalPanel.waitFor({ state: 'detached' });
    await expect.poll(() => g.queueRows.count()).toBe(0);
    await g.wb.press('Control+z');
    await expect.poll(() => g.queueRows.count()).toBe(1);
    await g.waitProposal();
    await g.wb.press('Backspace');
    await expect.poll(() => g.queueRows.count()).toBe(0);
    await expect(g.wb.boxRows.count()).resolves.toBe(1);

    // 4. A point the box misses is flagged, with Retry; the retry asks again with the same point.
    await g.placePoint(MESSI, [540, 335]);
    await g.ground('the man on the right');
    await g.waitProposal();
    await g.page.getByTestId('point-miss').waitFor();
    await g.page.getByTestId('btn-retry-query').click();
    await g.waitProposal();
    await g.page.getByTestId('point-miss').waitFor();
    await expect.poll(() => g.queueRows.count()).toBe(1); // the missed one was replaced, not kept
    await g.wb.press('Backspace');
    await expect.poll(() => g.queueRows.count()).toBe(0);

    // 5. Edit and accept: drag the visible box's bottom-right handle, Enter stores the edited box.
    await g.placePoint(MESSI, [200, 200]);
    await g.ground('the player again');
    await g.waitProposal();
    expect(await g.page.getByTestId('point-miss').count()).toBe(0);
    const before = await g.proposalBoxes();
    const from: [number, number] = [before.visible[2]!, before.visible[3]!];
    const to: [number, number] = [Math.min(MESSI[0] - 1, from[0] + 12), from[1] - 20];
    await g.wb.dragImage(MESSI, from, to);
    await expect.poll(async () => parseBox(await g.proposalVisible.textContent())[3]).not.toBe(before.visible[3]);
    const edited = parseBox(await g.proposalVisible.textContent());
    expect(Math.abs(edited[3]! - to[1])).toBeLessThanOrEqual(1);
    await g.page.getByTestId('btn-accept').getByText('Accept edited').waitFor();
    await g.wb.press('Enter');
    await expect.poll(() => g.wb.boxRows.count()).toBe(2);
    await g.wb.waitSaved();
    const anns = await stored('messi5.jpg');
    // Stored at sub-pixel precision (like drawn boxes); the panel shows whole pixels.
    anns.find((a) => a.phrase === 'the player again')!.visible.forEach((v, i) => expect(Math.abs(v - edited[i]!)).toBeLessThanOrEqual(0.5));
    expect(harness.errors).toEqual([]);
  });

  it('runs a batch over three images, walks the queue across images, accepts all on one, exports COCO', async () => {
    if (backend.name === 'server') {
      // Self-consistency N=3 from the phrase bar: proposals get a confidence, and the queue can sort by it.
      await g.page.getByTestId('samples-input').fill('3');
      await g.page.getByTestId('samples-input').press('Enter');
      await expect.poll(async () => (await harness.handlers['model:getSettings']({})).grounding.samples).toBe(3);
      await g.page.getByTestId('queue-order').selectOption('confidence');
    }
    // With the slow server: cancel the running batch, then resume it; it finishes where it stopped.
    backend.slow?.(true);
    const interrupt = backend.slow
      ? async () => {
          await g.page.getByTestId('btn-cancel-batch').click();
          await g.page.locator('[data-testid="batch-progress"][data-state="cancelled"]').waitFor();
          backend.slow!(false);
          await g.page.getByTestId('btn-resume-batch').click();
        }
      : undefined;
    await g.runBatch(['the ball', 'the table'], BATCH_FILES, interrupt);
    backend.slow?.(false);
    await expect(g.page.getByTestId('batch-summary').textContent()).resolves.toMatch(/^6\/6 .*done$/);
    await g.page.screenshot({ path: `${SHOTS}/grounding-batch${backend.shotSuffix}.png` });
    await g.closeBatch();
    await expect.poll(() => g.queueCount.textContent()).toBe('6');
    for (const f of BATCH_FILES) await expect.poll(() => g.proposalBadge(f).textContent()).toBe('2');

    // J walks the queue image by image in list order (issue 11), from the first image (none there):
    // each step shows a proposal under review, switching image after the image's last one.
    await g.wb.press('Home');
    await g.wb.waitReady();
    const walked: string[] = [];
    for (let i = 0; i < 4; i++) {
      await g.wb.press('j');
      await g.page.locator('[data-testid="queue-row"][data-active="true"]').waitFor();
      await g.wb.waitReady();
      await g.waitProposal();
      walked.push((await g.currentImageFile())!);
    }
    expect(walked).toEqual(['fruits.jpg', 'fruits.jpg', 'home.jpg', 'home.jpg']);
    if (backend.name === 'server') {
      const confs = (await g.queueRows.locator('.conf').allTextContents()).map((t) => Number(t.replace('conf ', '')));
      expect(confs.every((c) => c >= 0 && c <= 1)).toBe(true);
      expect([...confs].sort((a, b) => a - b)).toEqual(confs); // least confident first
    }
    await g.page.screenshot({ path: `${SHOTS}/grounding-queue${backend.shotSuffix}.png` });

    // Enter accepts the one on screen; Shift+Enter (confirmed) accepts the rest of that image,
    // and review moves on to the next image's proposal (issue 18: auto-advance, on by default).
    const file = (await g.currentImageFile())!;
    await g.wb.press('Enter');
    await expect.poll(() => g.queueCount.textContent()).toBe('5');
    await g.wb.press('Shift+Enter');
    await g.page.getByTestId('confirm-dialog').waitFor(); // it asks first (issue 11); Enter confirms
    await g.wb.press('Enter');
    await expect.poll(() => g.queueCount.textContent()).toBe('4');
    await g.proposalBadge(file).waitFor({ state: 'detached' });
    await g.wb.waitSaved();
    expect(await stored(file)).toHaveLength(2);
    await expect.poll(() => g.currentImageFile()).not.toBe(file);
    await g.waitProposal();

    await g.wb.exportCoco();
    const coco = JSON.parse(await readFile(join(outDir, 'export.json'), 'utf8'));
    const model = coco.annotations.filter((a: { attributes: { source: string } }) => a.attributes.source === 'model');
    expect(model).toHaveLength(4); // 2 on messi5.jpg + 2 on the batch image
    for (const a of model) {
      expect(a.attributes).toMatchObject({ source: 'model', reviewed: true });
      expect(a.attributes.model).toEqual(expect.any(String));
      expect(a.bbox).toHaveLength(4);
    }
    expect(model.map((a: { phrase: string }) => a.phrase).sort()).toEqual(['the ball', 'the player again', 'the player in the red shirt', 'the table']);

    // The shortcuts are registered commands: the ? overlay lists them.
    await g.wb.press('?');
    for (const id of ['proposal.accept', 'proposal.reject', 'queue.next', 'ground.pointTool', 'ground.cancel']) await g.page.getByTestId(`help-${id}`).waitFor();
    await g.wb.press('Escape');
    await g.wb.helpOverlay.waitFor({ state: 'detached' });
    expect(harness.errors).toEqual([]);
  });
});
