// What the canvas draws, kept outside React: the custom Konva shapes read it
// at draw time, so a pan/zoom frame is one redraw of a few shapes and no
// React work. CanvasView copies the store into it when annotations change;
// the pointer controller writes previews (a box being dragged) and the draft.
// One scene per workbench (currentScene() is the installed one's).
import type { Annotation, Box, BoxKind } from '@core/types';
import { categoryColor } from '@core/category-colors';
import { isHidden, isLocked, type BoxViewState } from './box-view';
import { workbench } from '../workbench/current';

export interface Draft {
  kind: BoxKind;
  box: Box;
  color: string;
}

export interface Scene {
  /** The annotations drawn: the image's, less the hidden ones (box-view.ts). */
  annotations: Annotation[];
  /** Annotations grouped by colour (their category's: core/category-colors.ts): one canvas path per colour and line style. */
  byColor: Map<string, Annotation[]>;
  /** Uncommitted versions of annotations during a drag or resize (by id). */
  preview: Map<number, Annotation>;
  selection: Set<number>;
  /** 1-based position in the box list, drawn as a label so list and canvas match. */
  index: Map<number, number>;
  /** Category names by id, for labels in 'category' mode. */
  categoryNames: Map<number, string>;
  /** Locked boxes (drawn with a lock mark in their label). */
  locked: Set<number>;
  draft: Draft | null;
  /** The decoded current image (null while loading or with none). */
  image: HTMLImageElement | null;
  imageW: number;
  imageH: number;
}

export const createScene = (): Scene => ({
  annotations: [],
  byColor: new Map(),
  preview: new Map(),
  selection: new Set(),
  index: new Map(),
  categoryNames: new Map(),
  locked: new Set(),
  draft: null,
  image: null,
  imageW: 0,
  imageH: 0,
});

export function currentScene(): Scene {
  return workbench().scene;
}

export function setSceneAnnotations(annotations: Annotation[], selection: number[], view: BoxViewState, categoryNames: Map<number, string> = new Map()): void {
  const scene = currentScene();
  // The list number counts every box (hidden ones too), so canvas and list keep matching.
  scene.index = new Map(annotations.map((a, i) => [a.id, i + 1]));
  scene.annotations = annotations.filter((a) => !isHidden(a, view));
  scene.selection = new Set(selection);
  scene.categoryNames = categoryNames;
  scene.locked = new Set(scene.annotations.filter((a) => isLocked(a, view)).map((a) => a.id));
  const byColor = new Map<string, Annotation[]>();
  for (const a of scene.annotations) {
    if (scene.selection.has(a.id)) continue; // the selection layer draws these
    const color = categoryColor(a.categoryId);
    let list = byColor.get(color);
    if (!list) byColor.set(color, (list = []));
    list.push(a);
  }
  scene.byColor = byColor;
}

/** The annotation as it should look now (a drag preview wins over the committed one). */
export function shown(a: Annotation): Annotation {
  return currentScene().preview.get(a.id) ?? a;
}

export function selectedShown(): Annotation[] {
  const scene = currentScene();
  return scene.annotations.filter((a) => scene.selection.has(a.id)).map(shown);
}
