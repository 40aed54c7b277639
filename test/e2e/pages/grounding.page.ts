// Page object for the grounding UI (issue 4): phrase bar, point tool, the
// proposal panel and its canvas handles, the review queue, the model panel and
// the batch dialog. Canvas positions are image pixels, as in WorkbenchPage.
import type { Locator, Page } from 'playwright-core';
import { imageToStage } from '@core/geometry';
import type { Point } from '@core/types';
import { startFakeOpenAIServer } from '../../helpers/fake-openai-server';
import { WorkbenchPage } from './workbench.page';

/** Parses "x1, y1 → x2, y2" (proposal panel, inspector). */
export function parseBox(text: string | null): number[] {
  const m = (text ?? '').match(/(-?\d+), (-?\d+) → (-?\d+), (-?\d+)/);
  if (!m) throw new Error(`grounding page: no box in "${text}"`);
  return m.slice(1, 5).map(Number);
}

export class GroundingPage {
  readonly wb: WorkbenchPage;
  readonly input: Locator;
  readonly proposalPanel: Locator;
  readonly reasoningVisible: Locator;
  readonly reasoningAmodal: Locator;
  readonly proposalVisible: Locator;
  readonly proposalAmodal: Locator;
  readonly queueRows: Locator;
  readonly queueCount: Locator;
  readonly modelPanel: Locator;
  readonly batchDialog: Locator;

  constructor(readonly page: Page) {
    this.wb = new WorkbenchPage(page);
    this.input = page.getByTestId('phrase-bar-input');
    this.proposalPanel = page.getByTestId('proposal-panel');
    this.reasoningVisible = page.getByTestId('reasoning-visible');
    this.reasoningAmodal = page.getByTestId('reasoning-amodal');
    this.proposalVisible = page.getByTestId('proposal-visible');
    this.proposalAmodal = page.getByTestId('proposal-amodal');
    this.queueRows = page.getByTestId('queue-row');
    this.queueCount = page.getByTestId('queue-count');
    this.modelPanel = page.getByTestId('model-panel');
    this.batchDialog = page.getByTestId('batch-dialog');
  }

  async openModelPanel(): Promise<void> {
    await this.page.getByTestId('model-chip').click();
    await this.modelPanel.waitFor();
  }

  /** Local model folder through the (canned) folder dialog, on the CPU. */
  async useLocalModel(): Promise<void> {
    await this.openModelPanel();
    await this.page.getByTestId('backend-local').check();
    await this.page.getByTestId('btn-pick-folder').click();
    await this.page.locator('[data-testid="model-dir"]:not([value=""])').waitFor();
    await this.page.getByTestId('model-device').selectOption('cpu');
    await this.page.getByTestId('btn-save-model').click();
  }

  async useServer(baseUrl: string, apiKey: string): Promise<void> {
    await this.openModelPanel();
    await this.page.getByTestId('backend-server').check();
    await this.page.getByTestId('server-url').fill(baseUrl);
    await this.page.getByTestId('api-key').fill(apiKey);
    await this.page.getByTestId('btn-save-model').click();
  }

  /** A server model that is set up and ready, then stops answering (its server is closed): the next query fails with Retry. */
  async useServerThatGoesDown(): Promise<void> {
    const server = await startFakeOpenAIServer({});
    try {
      await this.useServer(server.baseUrl, 'sk-test');
      await this.waitModelReady();
      await this.closeModelPanel();
    } finally {
      await server.close();
    }
  }

  async waitModelReady(): Promise<void> {
    await this.page.locator('[data-testid="model-status"][data-state="ready"]').waitFor({ timeout: 120_000 });
  }

  async closeModelPanel(): Promise<void> {
    await this.page.getByTestId('btn-close-model').click();
    await this.modelPanel.waitFor({ state: 'detached' });
  }

  /** Focuses the bar with its key (/), types, and presses Enter. */
  async ground(phrase: string): Promise<void> {
    await this.wb.press('/');
    await this.input.fill(phrase);
    await this.input.press('Enter');
  }

  /** Waits until a finished proposal is under review. */
  async waitProposal(): Promise<void> {
    await this.page.locator('[data-testid="proposal-panel"] [data-testid="btn-accept"]').waitFor();
  }

  async proposalBoxes(): Promise<{ visible: number[]; amodal: number[] }> {
    return { visible: parseBox(await this.proposalVisible.textContent()), amodal: parseBox(await this.proposalAmodal.textContent()) };
  }

  /** Point tool (T), then a click on the image. */
  async placePoint(imageSize: [number, number], p: Point): Promise<void> {
    await this.wb.press('t');
    await this.page.locator('[data-testid="btn-point-tool"][aria-pressed="true"]').waitFor();
    const { vp, left, top } = await this.wb.fittedViewport(imageSize[0], imageSize[1]);
    const s = imageToStage(p, vp);
    await this.page.mouse.click(left + s[0], top + s[1]);
    await this.page.getByTestId('point-coords').waitFor();
  }

  /** Fills the batch dialog and starts it; `interrupt` runs while it is running (e.g. cancel and resume). */
  async runBatch(phrases: string[], files: string[], interrupt?: () => Promise<void>): Promise<void> {
    await this.wb.press('Control+b');
    await this.batchDialog.waitFor();
    await this.page.getByTestId('batch-phrases').fill(phrases.join('\n'));
    await this.page.getByTestId('scope-pick').check();
    for (const f of files) await this.page.locator(`[data-testid="batch-image"][data-file="${f}"]`).check();
    await this.page.getByTestId('batch-concurrency').fill('4');
    await this.page.getByTestId('btn-start-batch').click();
    if (interrupt) {
      await this.page.locator('[data-testid="batch-progress"][data-state="running"]').waitFor();
      await interrupt();
    }
    await this.page.locator('[data-testid="batch-progress"][data-state="done"]').waitFor({ timeout: 120_000 });
  }

  async closeBatch(): Promise<void> {
    await this.page.getByTestId('btn-close-batch').click();
    await this.batchDialog.waitFor({ state: 'detached' });
  }

  proposalBadge(fileName: string): Locator {
    return this.wb.imageRow(fileName).getByTestId('image-proposals');
  }

  /** The proposal under review as "phrase @ file" (its queue row), or null when none is. */
  async activeProposal(): Promise<string | null> {
    const row = this.page.locator('[data-testid="queue-row"][data-active="true"]');
    if ((await row.count()) === 0) return null;
    return `${await row.locator('.phrase').textContent()} @ ${await row.getByTestId('queue-row-file').textContent()}`;
  }

  async currentImageFile(): Promise<string | null> {
    return this.page.locator('[data-testid="image-row"][aria-selected="true"]').getAttribute('data-file');
  }
}
