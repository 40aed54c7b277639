// Reading a COCO file for import: size-capped, then parsed and checked for
// structure (core/coco/validate.ts). A large file is read in a worker_thread,
// so its JSON.parse — seconds and gigabytes for COCO 2017 train's 448 MB —
// never blocks Electron main (issue 16), and a hostile file runs into the
// worker's heap limit, not the app's. The worker hands back only what the
// import plans with: each annotation keeps the keys the planner reads (no
// segmentation polygons), so the answer is small to copy back. A smaller file
// is read here: copying its structure back from a worker would cost more than
// its parse (a 15 MB, 100,000-box file: 0.7 s to parse, 2.5 s through a worker).
import { readFile, stat } from 'node:fs/promises';
import { COCO_LIMITS, CocoFormatError, parseJsonWithPosition, validateCocoStructure, type CocoStructure } from '@core/coco';
import { runWorkerOnce } from '../workers/run-once';

/** The keys of an annotation the import planner reads (core/coco/plan-import.ts). */
const PLANNED_KEYS = ['image_id', 'category_id', 'bbox', 'amodal_bbox', 'phrase', 'phrases', 'attributes', 'iscrowd'] as const;

/** Files larger than this are read in a worker. */
export const READ_OFF_THREAD_BYTES = 32 * 1024 * 1024;

/** A parse of up to COCO_LIMITS.fileBytes fits; past it the worker stops, not the app. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 4096 };

/** Reads, parses and checks `file` in this thread (the worker's job); failures are one-line CocoFormatErrors naming the file. */
export async function readCocoStructure(file: string): Promise<CocoStructure> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CocoFormatError(`${file}: cannot read COCO file (${code === 'ENOENT' ? 'not found' : (code ?? String(err))})`);
  }
  // A UTF-8 byte-order mark (some Windows editors add one) is not JSON.
  const json = parseJsonWithPosition(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  let structure: CocoStructure;
  try {
    structure = validateCocoStructure(json);
  } catch (err) {
    if (err instanceof CocoFormatError) throw new CocoFormatError(`${file}: ${err.message}`);
    throw err;
  }
  for (const entry of structure.annotations) {
    const raw: Record<string, unknown> = {};
    for (const key of PLANNED_KEYS) if (entry.raw[key] !== undefined) raw[key] = entry.raw[key];
    entry.raw = raw;
  }
  return structure;
}

/** readCocoStructure after the size check, in a worker_thread for a large file; the same one-line errors. */
export async function readCocoFile(file: string, offThreadBytes = READ_OFF_THREAD_BYTES): Promise<CocoStructure> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CocoFormatError(`${file}: cannot read COCO file (${code === 'ENOENT' ? 'not found' : (code ?? String(err))})`);
  }
  if (size > COCO_LIMITS.fileBytes) {
    throw new CocoFormatError(`${file}: ${size.toLocaleString('en-US')} bytes, over the ${COCO_LIMITS.fileBytes / 2 ** 30} GB a COCO file may have; nothing imported`);
  }
  if (size <= offThreadBytes) return readCocoStructure(file);
  try {
    return await runWorkerOnce<CocoStructure>('coco/read-worker.ts', 'coco-read-worker.mjs', { file }, WORKER_LIMITS, `${file}: the COCO reader`);
  } catch (err) {
    throw (err as Error).name === 'CocoFormatError' ? new CocoFormatError((err as Error).message) : err;
  }
}
