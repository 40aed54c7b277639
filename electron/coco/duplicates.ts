// Tells an imported annotation that is already in the project (the same COCO
// file imported twice): same image, same visible and amodal box (to the 0.01 px
// COCO precision), same category name and phrase. No category and the export's
// name for it ('object') are the same. Only images that were in the project
// before the import can hold one; their boxes are read once each.
import { roundCoord } from '@core/coco/to-coco';
import { DEFAULT_CATEGORY_NAME } from '@core/coco/types';
import type { Box } from '@core/types';
import type { ImportedAnnotation, ProjectStore } from '../store/api';

const boxKey = (box: Box | null | undefined) => (box ? box.map(roundCoord).join(',') : '-');

export class DuplicateFinder {
  readonly #keys = new Map<number, Set<string>>();
  readonly #names: Map<number, string>;

  /** `hadBoxes(imageId)`: whether the image was in the project before this import (only those are read). */
  constructor(
    private readonly store: ProjectStore,
    private readonly hadBoxes: (imageId: number) => boolean,
  ) {
    this.#names = new Map(store.listCategories().map((c) => [c.id, c.name]));
  }

  #key(a: Pick<ImportedAnnotation, 'categoryId' | 'phrase' | 'visible' | 'amodal'>): string {
    const category = a.categoryId === null || a.categoryId === undefined ? DEFAULT_CATEGORY_NAME : (this.#names.get(a.categoryId) ?? `#${a.categoryId}`);
    return `${JSON.stringify(category)}|${boxKey(a.visible)}|${boxKey(a.amodal)}|${a.phrase ?? ''}`;
  }

  /** True when the project had this annotation before the import (a file listing one box twice keeps both). */
  isDuplicate(a: ImportedAnnotation): boolean {
    if (!this.hadBoxes(a.imageId)) return false;
    let keys = this.#keys.get(a.imageId);
    if (!keys) {
      keys = new Set(this.store.listAnnotations(a.imageId).map((stored) => this.#key(stored)));
      this.#keys.set(a.imageId, keys);
    }
    return keys.has(this.#key(a));
  }
}
