// The grounding exports of `egm export` and the export dialog (issue 9, item
// 4): RefCOCO for the `refer` API (refs pickle + instances.json), ODVG lines,
// Qwen-VL fine-tuning lines. File names are relative to the images root, as
// for COCO (the remembered root unless the caller names another). Every file
// is written atomically: a failed export leaves the old file or none.
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../coco/atomic-write';
import { readExportInput, selectExport, type ExportScope } from '../coco/export';
import { serializeCoco } from '@core/coco';
import { jsonLines, odvgLines } from '@core/datasets/odvg';
import { pickle, type PickleValue } from '@core/datasets/pickle';
import { qwenVlLines } from '@core/datasets/qwenvl';
import { buildRefcoco, REFCOCO_DEFAULTS, refcocoNameProblem } from '@core/datasets/refcoco';
import { negativeCount } from '@core/datasets/types';
import { assignSplits, DEFAULT_SPLITS, type SplitShare } from '@core/datasets/splits';
import type { ProjectStore } from '../store/api';
import type { MissingImageFile } from '@core/types';

export interface GroundingExportOptions extends ExportScope {
  /** Folder file names are relative to; default: the project's images root, else the output's folder. */
  imagesDir?: string;
}

export interface RefcocoExportOptions extends GroundingExportOptions {
  /** Folder name under the root (REFER's `dataset`); default REFCOCO_DEFAULTS.dataset. */
  dataset?: string;
  /** REFER's `splitBy`: the refs file is refs(<splitBy>).p; default REFCOCO_DEFAULTS.splitBy. */
  splitBy?: string;
  /** Default DEFAULT_SPLITS. */
  splits?: readonly SplitShare[];
  /** Default REFCOCO_DEFAULTS.seed. */
  seed?: number;
}

export interface RefcocoExportReport {
  refs: string;
  instances: string;
  images: number;
  annotations: number;
  refCount: number;
  sentences: number;
  /** Refs per split. */
  splits: Record<string, number>;
  /** Phrases marked "not in this image": RefCOCO has no form for them, so they are not exported. */
  skippedNegatives: number;
  /** Images exported whose files are not there (issue 16). */
  missingFiles: MissingImageFile[];
}

export async function exportRefcoco(store: ProjectStore, root: string, options: RefcocoExportOptions = {}): Promise<RefcocoExportReport> {
  const dataset = options.dataset ?? REFCOCO_DEFAULTS.dataset;
  const splitBy = options.splitBy ?? REFCOCO_DEFAULTS.splitBy;
  for (const [flag, name] of [['dataset', dataset], ['split-by', splitBy]] as const) {
    const problem = refcocoNameProblem(name);
    if (problem) throw new Error(`--${flag} '${name}': ${problem}`);
  }
  const rootDir = resolve(root);
  // A root that does not exist yet is made (issue 18: `--refcoco out/refer` on a fresh checkout); one that is a file is refused.
  const existing = await stat(rootDir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw new Error(`${rootDir}: RefCOCO root is a file, not a folder`);
  const folder = join(rootDir, dataset);
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    throw new Error(`${folder}: cannot create the RefCOCO folder (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }

  const selection = selectExport(store, options);
  const input = readExportInput(store, resolve(options.imagesDir ?? store.imagesRoot() ?? rootDir), selection);
  const splitOf = assignSplits(input.images.map((image) => image.id), options.splits ?? DEFAULT_SPLITS, options.seed ?? REFCOCO_DEFAULTS.seed);
  const { refs, instances } = buildRefcoco(input, (imageId) => splitOf.get(imageId)!);
  const refsPath = join(folder, `refs(${splitBy}).p`);
  const instancesPath = join(folder, 'instances.json');
  await writeFileAtomic(instancesPath, serializeCoco(instances));
  await writeFileAtomic(refsPath, pickle(refs as unknown as PickleValue));
  const splits: Record<string, number> = {};
  for (const ref of refs) splits[ref.split] = (splits[ref.split] ?? 0) + 1;
  return {
    refs: refsPath,
    instances: instancesPath,
    images: instances.images.length,
    annotations: instances.annotations.length,
    refCount: refs.length,
    sentences: refs.reduce((n, ref) => n + ref.sentences.length, 0),
    splits,
    skippedNegatives: negativeCount(input),
    missingFiles: await selection.missing,
  };
}

export interface LinesExportReport {
  path: string;
  lines: number;
  /** Images exported whose files are not there (issue 16). */
  missingFiles: MissingImageFile[];
}

export interface OdvgExportReport extends LinesExportReport {
  /** Phrases marked "not in this image" left out: ODVG has no form for them (Qwen-VL writes each as a line). */
  skippedNegatives: number;
}

export async function exportOdvg(store: ProjectStore, outPath: string, options: GroundingExportOptions = {}): Promise<OdvgExportReport> {
  const out = resolve(outPath);
  const selection = selectExport(store, options);
  const input = readExportInput(store, resolve(options.imagesDir ?? store.imagesRoot() ?? dirname(out)), selection);
  const lines = odvgLines(input);
  await writeFileAtomic(out, jsonLines(lines));
  return { path: out, lines: lines.length, skippedNegatives: negativeCount(input), missingFiles: await selection.missing };
}

export async function exportQwenVl(store: ProjectStore, outPath: string, options: GroundingExportOptions = {}): Promise<LinesExportReport> {
  const out = resolve(outPath);
  const selection = selectExport(store, options);
  const lines = qwenVlLines(readExportInput(store, resolve(options.imagesDir ?? store.imagesRoot() ?? dirname(out)), selection));
  await writeFileAtomic(out, jsonLines(lines));
  return { path: out, lines: lines.length, missingFiles: await selection.missing };
}
