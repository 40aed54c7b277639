// Temp folders and annotation inputs for the store tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnotationInput } from '@core/types';

/** A fresh temp folder; call the returned cleanup in afterEach. */
export function tempDir(prefix = 'egm-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function annotationInput(imageId: number, overrides: Partial<AnnotationInput> = {}): AnnotationInput {
  return {
    imageId,
    categoryId: null,
    phrase: 'the lime partly hidden behind the orange',
    visible: [10, 20, 110, 220],
    amodal: [5, 20, 110, 240],
    occluded: true,
    source: 'manual',
    model: null,
    score: null,
    reviewed: false,
    ...overrides,
  };
}
