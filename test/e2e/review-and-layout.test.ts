// Issue 11 with a model (a local OpenAI-style server): a no-box answer in the
// model's own words; the reasoning view (prose font, stacked panes, the raw
// answer folded, following the stream only while the reader is at the
// bottom); accept-all asks first (Enter confirms, Esc cancels); and the
// workbench's layout at 1280×720, 1000×700 and 3840×2160: no overlaps, the
// phrase field and the model chip whole. Screenshots go to test-results/issue11.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOX_ANSWER, NO_BOX_ANSWER, startFakeOpenAIServer, type FakeServer } from '../helpers/fake-openai-server';
import { startHarness, type Harness } from './harness';
import { GroundingPage } from './pages/grounding.page';
import type { PageElement, PageWindow } from './pages/dom';
import { overlap, rectOf, resize, shoot, SHOT_DIR, showsAllText } from './pages/screens';

// Long enough to overflow its pane several times over while it streams.
const REASONING = Array.from({ length: 40 }, (_, i) => `Step ${i + 1}: the player in red stands left of centre, and the ball hides part of his right leg.`).join(' ');

let server: FakeServer;
let harness: Harness;
let g: GroundingPage;

const page = () => harness.page;
const pane = (kind: 'visible' | 'amodal') => page().getByTestId(`reasoning-${kind}`);
const scrollState = (kind: 'visible' | 'amodal') =>
  pane(kind).evaluate((node) => {
    const el = node as unknown as PageElement;
    return { top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight };
  });

beforeAll(async () => {
  server = await startFakeOpenAIServer({ reasoning: REASONING, chunkChars: 12, answer: BOX_ANSWER });
  harness = await startHarness({ viewport: { width: 1280, height: 720 } });
  g = new GroundingPage(harness.page);
  await g.wb.openSample();
  await g.useServer(server.baseUrl, 'sk-issue11');
  await g.waitModelReady();
  await g.closeModelPanel();
  await g.wb.selectImage('messi5.jpg');
});
afterAll(async () => {
  await harness?.close();
  await server?.close();
});

describe('issue 11: reviewing proposals', () => {
  it('a no-box answer shows the model\'s own sentence, not the reason code', async () => {
    server.configure({ answer: NO_BOX_ANSWER, reasoning: 'I look for a unicorn. There is only a football player and a ball.' });
    await g.ground('the unicorn');
    const line = page().getByTestId('proposal-reason');
    await line.waitFor();
    const text = (await line.textContent()) ?? '';
    expect(text).toContain(NO_BOX_ANSWER);
    expect(text).not.toContain('no-box');
    await expect(g.wb.notice.textContent()).resolves.not.toContain('no-box'); // the status line neither
    await shoot(page(), 'no-box-answer');
    await g.wb.press('Backspace'); // reject it
    await line.waitFor({ state: 'detached' });
  });

  it('reasoning reads as prose in stacked panes, follows the stream only at the bottom, and folds the raw answer', async () => {
    server.configure({ answer: BOX_ANSWER, reasoning: REASONING, durationMs: 7000 });
    await g.ground('the player in the red shirt');
    await page().locator('[data-testid="reasoning-panel"][data-streaming="true"]').waitFor();
    // Wait until the text overflows the pane, then scroll up to read: new tokens must not pull the view down.
    await expect.poll(async () => { const s = await scrollState('visible'); return s.height > s.client * 1.5; }, { timeout: 8000 }).toBe(true);
    const font = await pane('visible').evaluate((el) => (globalThis as unknown as PageWindow).getComputedStyle(el as unknown as PageElement).fontFamily);
    expect(font).not.toMatch(/mono/i);
    const [v, a] = [await rectOf(pane('visible')), await rectOf(pane('amodal'))];
    expect(a.y).toBeGreaterThanOrEqual(v.y + v.height); // stacked, not two thin columns
    expect(v.width).toBeGreaterThanOrEqual(220);
    expect(a.width).toBeGreaterThanOrEqual(220);

    await pane('visible').evaluate((el) => {
      (el as unknown as PageElement).scrollTop = 0;
    });
    const before = await scrollState('visible');
    await expect.poll(async () => (await scrollState('visible')).height).toBeGreaterThan(before.height + 20);
    expect((await scrollState('visible')).top).toBeLessThan(5);
    // Back at the bottom: it follows again.
    await pane('visible').evaluate((node) => {
      const el = node as unknown as PageElement;
      el.scrollTop = el.scrollHeight;
    });
    const atEnd = await scrollState('visible');
    await expect.poll(async () => (await scrollState('visible')).height).toBeGreaterThan(atEnd.height + 20);
    const after = await scrollState('visible');
    expect(after.top + after.client).toBeGreaterThanOrEqual(after.height - 14);
    await shoot(page(), 'reasoning-mid-stream');

    await g.waitProposal();
    server.configure({ durationMs: null });
    const answer = page().getByTestId('answer-visible');
    await expect(answer.evaluate((el) => (el as unknown as PageElement).open)).resolves.toBe(false);
    await expect(answer.textContent()).resolves.toContain('bbox_2d');
    await expect(pane('visible').textContent()).resolves.not.toContain('bbox_2d');
    await shoot(page(), 'reasoning-finished');
  });

  it('accept-all asks first: Esc cancels, Enter accepts', async () => {
    await g.ground('the ball');
    await expect.poll(() => g.proposalBadge('messi5.jpg').textContent()).toBe('2');
    await g.waitProposal();
    const confirm = page().getByTestId('confirm-dialog');
    await g.wb.press('Shift+Enter');
    await confirm.waitFor();
    await expect(confirm.getByTestId('confirm-text').textContent()).resolves.toBe('Accept 2 proposals on this image?');
    await shoot(page(), 'accept-all-confirmation');
    await g.wb.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await expect(g.proposalBadge('messi5.jpg').textContent()).resolves.toBe('2');

    await page().getByTestId('btn-accept-all').click();
    await confirm.waitFor();
    await g.wb.press('Enter');
    await confirm.waitFor({ state: 'detached' });
    await g.proposalBadge('messi5.jpg').waitFor({ state: 'detached' });
    await expect.poll(() => g.wb.boxRows.count()).toBe(2);
    await g.wb.waitSaved();
  });

  it('lays out without overlaps from 1000×700 to 3840×2160, the phrase field and the model chip whole', async () => {
    server.configure({ durationMs: null });
    await g.ground('the player again');
    await g.waitProposal();
    for (const size of [{ width: 1280, height: 720 }, { width: 1000, height: 700 }, { width: 3840, height: 2160 }]) {
      await resize(page(), size);
      const at = `${size.width}×${size.height}`;
      // A fitted image stays fitted when the window changes size (it stayed small in a corner).
      const { vp } = await g.wb.fittedViewport(548, 342);
      await expect.poll(() => page().getByTestId('status-zoom').textContent(), { message: `${at}: image not refitted` }).toBe(`${Math.round(vp.scale * 100)}%`);
      await page().screenshot({ path: `${SHOT_DIR}/layout-${size.width}x${size.height}.png` });
      const regions = ['toolbar', 'image-list', 'phrase-bar', 'side-panel', 'statusbar'];
      const rects = await Promise.all(regions.map((id) => rectOf(page().getByTestId(id))));
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) expect(overlap(rects[i]!, rects[j]!), `${at}: ${regions[i]} overlaps ${regions[j]}`).toBe(0);
      }
      // Every control of the phrase bar lies inside the stage column, none under the side panel.
      const side = rects[3]!;
      const controls = page().locator('[data-testid="phrase-bar"] :is(button, select, input)');
      const boxes = await controls.evaluateAll((els) =>
        els.map((node) => {
          const el = node as unknown as PageElement;
          const b = el.getBoundingClientRect();
          return { x: b.x, width: b.width, id: el.getAttribute('data-testid') };
        }),
      );
      for (const r of boxes) {
        expect(r.x + r.width, `${at}: ${r.id} runs under the side panel`).toBeLessThanOrEqual(side.x + 0.5);
      }
      expect((await rectOf(g.input)).width, `${at}: phrase field`).toBeGreaterThanOrEqual(240);
      const chip = page().getByTestId('model-chip');
      await expect(chip.textContent()).resolves.toContain('Server');
      await expect(showsAllText(chip), `${at}: model chip cut`).resolves.toBe(true);
      // The top bar's last control is on screen, and the accept button is in the side panel.
      const help = await rectOf(page().getByTestId('btn-help'));
      expect(help.x + help.width, `${at}: top bar runs off screen`).toBeLessThanOrEqual(size.width);
      const accept = await rectOf(page().getByTestId('btn-accept'));
      expect(overlap(accept, side), `${at}: accept button outside the side panel`).toBeGreaterThan(0);
      expect(accept.width).toBeGreaterThanOrEqual(60);
    }
    await resize(page(), { width: 1280, height: 720 });
    expect(harness.errors).toEqual([]);
  });
});
