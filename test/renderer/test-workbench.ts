// A headless driver for the renderer (after tldraw's TestEditor): a FRESH
// workbench per test over the real main-side handler table and a temp
// project (main-side.ts), so saves really land in SQLite; pointer input in
// stage pixels through the same PointerController the canvas uses, keys through
// the same command registry and key matching as the keyboard hook (runKey),
// counted layer redraws, and settled() to wait for the save queue.
//
//   const tw = await TestWorkbench.open({ images: ['coffee.png'] });
//   tw.pointerDown(...tw.stage(30, 30)).pointerMove(...tw.stage(60, 45)).pointerUp();
//   await tw.keyDown('z', { mod: true }).settled();
import { join } from 'node:path';
import type { KeyLike } from '@core/commands';
import type { Annotation, ImageRecord } from '@core/types';
import { PointerController } from '../../renderer/src/canvas/pointer';
import { attachSceneSync } from '../../renderer/src/canvas/scene-sync';
import { commands } from '../../renderer/src/commands/app-commands';
import { runKey } from '../../renderer/src/commands/run-key';
import { attachProposalLayer } from '../../renderer/src/grounding/canvas/proposal-layer';
import type { GroundingState } from '../../renderer/src/grounding/store';
import { startGrounding } from '../../renderer/src/grounding/wiring';
import { imageRows } from '../../renderer/src/state/image-counts';
import { boot } from '../../renderer/src/state/project';
import type { AppState } from '../../renderer/src/state/store';
import { createWorkbench } from '../../renderer/src/workbench/create';
import { installWorkbench } from '../../renderer/src/workbench/current';
import type { Workbench } from '../../renderer/src/workbench/workbench';
import { MainSide, SAMPLES_DIR } from './main-side';

export interface PointerOptions {
  shift?: boolean;
  alt?: boolean;
  /** Ctrl or ⌘. */
  mod?: boolean;
  /** 0 left (default), 1 middle. */
  button?: number;
}

export interface KeyOptions {
  shift?: boolean;
  alt?: boolean;
  mod?: boolean;
  /** Focus is in a text field (only commands marked inTextField take the key). */
  inTextField?: boolean;
}

export interface OpenOptions {
  /** Sample images (assets/samples) added to the project, in order; the first is on screen. */
  images?: string[];
  /** Boxes stored before the workbench starts, per image index. */
  boxes?: { image: number; visible: [number, number, number, number]; phrase?: string; reviewed?: boolean }[];
  /** Start the grounding wiring (model settings, review queue, main's events). */
  grounding?: boolean;
}

/** The viewport tests work in: stage = image * 2 + (10, 20). */
const VP = { scale: 2, x: 10, y: 20 };

export class TestWorkbench {
  readonly redraws = { boxes: 0, selection: 0, draft: 0, proposals: 0 };
  readonly input: PointerController;
  /** The images as added, in order (ids of the store). */
  images: ImageRecord[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly offs: (() => void)[] = [];
  private last: [number, number] = [0, 0];

  private constructor(
    readonly main: MainSide,
    readonly wb: Workbench,
    private readonly frames: (() => void)[],
  ) {
    installWorkbench(wb);
    this.input = new PointerController((what) => this.redraws[what]++);
    this.offs.push(attachSceneSync((what) => this.redraws[what]++));
    this.offs.push(attachProposalLayer({ batchDraw: () => this.redraws.proposals++ }));
  }

  /** A temp project with the given sample images, a fresh workbench installed over it, booted to its first image. */
  static async open(options: OpenOptions = {}): Promise<TestWorkbench> {
    const main = await MainSide.start();
    await main.ok('project:create', { path: join(main.dir, 'test.egm') });
    const names = options.images ?? ['coffee.png'];
    const { added } = names.length ? await main.ok('images:add', { paths: names.map((n) => join(SAMPLES_DIR, n)) }) : { added: [] };
    for (const b of options.boxes ?? []) {
      await main.ok('annotations:create', {
        imageId: added[b.image]!.id,
        categoryId: null,
        phrase: b.phrase ?? '',
        morePhrases: [],
        visible: b.visible,
        amodal: null,
        occluded: false,
        source: 'manual',
        model: null,
        score: null,
        reviewed: b.reviewed ?? true,
      });
    }
    const frames: (() => void)[] = [];
    // A requested frame also wakes until(): it runs the frame once the caller has recorded its handle.
    const wb = createWorkbench(main.api, { requestFrame: (fn) => (queueMicrotask(() => tw.recheck?.()), frames.push(fn)) });
    const tw = new TestWorkbench(main, wb, frames);
    tw.images = added;
    if (options.grounding) tw.offs.push(startGrounding());
    await boot();
    wb.view.setState({ vp: { ...VP } });
    await tw.settled();
    return tw;
  }

  get app(): AppState {
    return this.wb.app.getState();
  }

  get grounding(): GroundingState {
    return this.wb.grounding.getState();
  }

  get annotations(): Annotation[] {
    return this.app.annotations;
  }

  /** The image list's rows as the list shows them (derived counts). */
  rows(): ImageRecord[] {
    return imageRows(this.app.images, this.app.countDelta, this.grounding.queue);
  }

  /** The row of the image added at `index`. */
  row(index: number): ImageRecord {
    const id = this.images[index]!.id;
    const r = this.rows().find((x) => x.id === id);
    if (!r) throw new Error(`image ${id} is not in the image list`);
    return r;
  }

  /** Starts counting layer redraws from zero. */
  resetRedraws(): this {
    for (const k of Object.keys(this.redraws) as (keyof typeof this.redraws)[]) this.redraws[k] = 0;
    return this;
  }

  /** Stage pixels of an image point (the test viewport). */
  stage(x: number, y: number): [number, number] {
    const { vp } = this.wb.view.getState();
    return [x * vp.scale + vp.x, y * vp.scale + vp.y];
  }

  pointerDown(x: number, y: number, options: PointerOptions = {}): this {
    this.last = [x, y];
    this.input.down([x, y], options.button ?? 0, mods(options));
    return this;
  }

  pointerMove(x: number, y: number, options: PointerOptions = {}): this {
    this.last = [x, y];
    this.input.move([x, y], mods(options));
    return this;
  }

  /** Releases where the pointer last was, or at (x, y). */
  pointerUp(x = this.last[0], y = this.last[1], options: PointerOptions = {}): this {
    this.input.up([x, y], mods(options));
    return this;
  }

  /** A press, n moves along the way, a release: one drag. */
  drag(from: [number, number], to: [number, number], steps = 10, options: PointerOptions = {}): this {
    this.pointerDown(from[0], from[1], options);
    for (let i = 1; i <= steps; i++) this.pointerMove(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps, options);
    return this.pointerUp(to[0], to[1], options);
  }

  /** A key press as the keyboard hook handles it; throws when no enabled command takes it (a test meant one to). */
  keyDown(key: string, options: KeyOptions = {}): this {
    const run = runKey(keyLike(key, options), !!options.inTextField);
    if (!run) throw new Error(`keyDown(${JSON.stringify(key)}): no enabled command takes this key now`);
    return this.track(run);
  }

  /** The id of the command a key would run now (without running it), or null. */
  commandFor(key: string, options: KeyOptions = {}): string | null {
    return commands.forKey(keyLike(key, options), this.app, !!options.inTextField)?.id ?? null;
  }

  /** Runs an async renderer action and counts it in settled(). */
  track(run: Promise<unknown>): this {
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return this;
  }

  /** Runs the frames requested so far (reasoning tokens, batch progress). */
  frame(): this {
    for (const fn of this.frames.splice(0)) fn();
    return this;
  }

  /** Waits until every tracked action has finished and the save queue is idle. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await this.wb.saveQueue.idle();
  }

  /** Set while until() waits: re-checks its condition (after a store change or a requested frame). */
  private recheck: (() => void) | null = null;

  /**
   * Waits until cond() holds, re-checking it whenever the app, grounding or
   * reasoning store changes or a frame is requested (run at once, as a browser
   * would run it); fails naming `what` after timeoutMs. For conditions that no
   * tracked action resolves (a token arriving, main's event landing); cond must
   * read those stores.
   */
  async until(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    this.frame();
    if (cond()) return;
    await new Promise<void>((done, fail) => {
      const stop = () => {
        clearTimeout(timer);
        for (const off of unsubscribe) off();
        this.recheck = null;
      };
      const check = () => {
        this.frame();
        if (!cond()) return;
        stop();
        done();
      };
      const timer = setTimeout(() => (stop(), fail(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
      const unsubscribe = [this.wb.app.subscribe(check), this.wb.grounding.subscribe(check), this.wb.reasoning.store.subscribe(check)];
      this.recheck = check;
    });
  }

  /** The boxes main has stored for an image (what a reopened project would show). */
  async stored(imageIndex: number): Promise<Annotation[]> {
    return this.main.ok('annotations:list', { imageId: this.images[imageIndex]!.id });
  }

  async dispose(): Promise<void> {
    await this.settled();
    for (const off of this.offs.splice(0)) off();
    this.wb.dispose();
    installWorkbench(null);
    await this.main.dispose();
  }
}

function keyLike(key: string, o: KeyOptions): KeyLike {
  return { key, ctrlKey: !!o.mod, metaKey: false, shiftKey: !!o.shift, altKey: !!o.alt };
}

function mods(o: PointerOptions): { shift: boolean; alt: boolean; mod: boolean } {
  return { shift: !!o.shift, alt: !!o.alt, mod: !!o.mod };
}
