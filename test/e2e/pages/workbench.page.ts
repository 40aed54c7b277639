// Page object for the workbench: every selector and gesture the e2e tests and
// the canvas bench use lives here. Canvas positions are given in IMAGE pixels
// and mapped to the screen with the same pure geometry the app uses, so a test
// states where on the photo it draws, not where on the screen.
import type { Locator, Page } from 'playwright-core';
import { fitExtent, fitViewportTo, imageToStage, type Viewport } from '@core/geometry';
import type { Box, Point } from '@core/types';

export class WorkbenchPage {
  readonly root: Locator;
  readonly canvas: Locator;
  readonly boxRows: Locator;
  readonly phraseInput: Locator;
  readonly saveIndicator: Locator;
  readonly notice: Locator;
  readonly errorBanner: Locator;
  readonly visibleCoords: Locator;
  readonly amodalCoords: Locator;
  readonly helpOverlay: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('#root');
    this.canvas = page.getByTestId('canvas');
    this.boxRows = page.getByTestId('box-row');
    this.phraseInput = page.getByTestId('phrase-input');
    this.saveIndicator = page.getByTestId('save-indicator');
    this.notice = page.getByTestId('notice');
    this.errorBanner = page.getByTestId('error-banner');
    this.visibleCoords = page.getByTestId('visible-coords');
    this.amodalCoords = page.getByTestId('amodal-coords');
    this.helpOverlay = page.getByTestId('help-overlay');
  }

  async waitReady(): Promise<void> {
    await this.page.locator('#root[data-app-state="ready"]').waitFor();
  }

  async openSample(): Promise<void> {
    await this.page.getByTestId('welcome-sample').click();
    await this.waitReady();
  }

  imageRow(fileName: string): Locator {
    return this.page.locator(`[data-testid="image-row"][data-file="${fileName}"]`);
  }

  async selectImage(fileName: string): Promise<void> {
    await this.imageRow(fileName).click();
    await this.page.locator(`[data-testid="image-row"][data-file="${fileName}"][aria-selected="true"]`).waitFor();
    await this.waitReady();
  }

  /** Presses a shortcut with the focus on the page, not in a text field. */
  async press(keys: string): Promise<void> {
    await this.page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
    await this.page.keyboard.press(keys);
  }

  async useTool(tool: 'select' | 'visible' | 'amodal'): Promise<void> {
    await this.press({ select: 'v', visible: 'r', amodal: 'a' }[tool]);
    await this.page.locator(`[data-testid="tool-${tool}"][aria-pressed="true"]`).waitFor();
  }

  /**
   * The viewport after "fit" for an image of w×h (what the app shows after
   * loading an image); `beyond`: the image's boxes that reach past it (an
   * amodal box past the edge), which Fit shows too.
   */
  async fittedViewport(imageW: number, imageH: number, beyond: readonly (Box | null)[] = []): Promise<{ vp: Viewport; left: number; top: number }> {
    const bb = await this.canvas.boundingBox();
    if (!bb) throw new Error('workbench: the canvas is not visible');
    return { vp: fitViewportTo(fitExtent(imageW, imageH, beyond), bb.width, bb.height), left: bb.x, top: bb.y };
  }

  /** Drags on the canvas between two image-pixel points (in the fitted view), in several moves like a hand. */
  async dragImage(imageSize: [number, number], from: Point, to: Point, modifiers: { alt?: boolean } = {}): Promise<void> {
    const { vp, left, top } = await this.fittedViewport(imageSize[0], imageSize[1]);
    const a = imageToStage(from, vp);
    const b = imageToStage(to, vp);
    const mouse = this.page.mouse;
    if (modifiers.alt) await this.page.keyboard.down('Alt');
    await mouse.move(left + a[0], top + a[1]);
    await mouse.down();
    await mouse.move(left + (a[0] + b[0]) / 2, top + (a[1] + b[1]) / 2, { steps: 4 });
    await mouse.move(left + b[0], top + b[1], { steps: 4 });
    await mouse.up();
    if (modifiers.alt) await this.page.keyboard.up('Alt');
  }

  /** R, drag from → to (image pixels through the fitted view), wait for the box's row. */
  async drawVisibleBox(imageSize: [number, number], from: Point, to: Point): Promise<void> {
    await this.useTool('visible');
    await this.dragImage(imageSize, from, to);
    await this.boxRows.first().waitFor();
  }

  async typePhrase(text: string): Promise<void> {
    await this.phraseInput.fill(text);
    await this.phraseInput.press('Enter');
  }

  async waitSaved(): Promise<void> {
    await this.page.locator('[data-testid="save-indicator"][data-status="saved"]').waitFor();
  }

  /** Opens the export dialog, keeps COCO, exports (the harness's saveCoco answer says where). */
  async exportCoco(): Promise<void> {
    await this.exportAs('coco');
  }

  /** Export dialog: picks a format and exports (the harness's dialog answers say where). */
  async exportAs(format: 'coco' | 'refcoco' | 'odvg' | 'qwenvl'): Promise<void> {
    await this.page.getByTestId('btn-export').click();
    await this.page.getByTestId(`export-format-${format}`).check();
    await this.page.getByTestId('export-run').click();
    await this.page.locator('[data-testid="notice"]', { hasText: 'Exported' }).waitFor();
  }
}
