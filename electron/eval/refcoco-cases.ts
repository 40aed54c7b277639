// The queries of `egm eval --refcoco <root> --dataset NAME --split-by NAME
// --split NAME --images <dir>`: the paper's protocol on a RefCOCO-style
// dataset the user brings (or one `egm export --refcoco` wrote). Reads
// <root>/<NAME>/refs(<split-by>).p with the plain-data unpickler and
// instances.json, and asks every sentence of every ref of the split for its
// annotation's box (amodal: where instances.json has `amodal_bbox`). Image
// files are <images>/<file_name>; their size is what the backend reads from
// the file (COCO images carry no EXIF rotation, so it is PIL's size).
//
// The dataset is someone else's: a file_name that leads out of --images (by
// name, or through a link inside it) is refused before any image is read
// (issue 16: `../../private/secret.png` was sent to the server and embedded in
// the report), and a box must be four finite numbers.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { canonicalPath, insideLexically } from '../paths/canonical';
import { canonicalPaths } from '../paths/canonical-many';
import { unpickle } from '@core/datasets/unpickle';
import type { EvalCase } from '@core/eval/cases';
import { normalizePhrase } from '@core/egm/prompt';
import type { Box, BoxKind } from '@core/types';

export interface RefcocoEvalSet {
  cases: EvalCase[];
  imagePathOf: (imageId: number) => string;
  sizeOf: (imageId: number) => { width: number; height: number };
}

interface Ref { ref_id: number; ann_id: number; image_id: number; split: string; sentences: { sent?: string; raw?: string }[] }
interface Ann { id: number; image_id: number; bbox: number[]; amodal_bbox?: number[] }
interface Img { id: number; file_name: string; width: number; height: number }

/** COCO [x, y, w, h] as corners; null unless it is four finite numbers with w, h ≥ 0. */
function corners(b: unknown): Box | null {
  if (!Array.isArray(b) || b.length !== 4 || !b.every((v) => typeof v === 'number' && Number.isFinite(v)) || b[2] < 0 || b[3] < 0) return null;
  const [x, y, w, h] = b as number[];
  return [x!, y!, x! + w!, y! + h!];
}

async function readBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(`${path}: cannot read the ${what} (${code === 'ENOENT' ? 'not found' : (code ?? String(err))})`);
  }
}

export async function refcocoCases(options: { root: string; dataset: string; splitBy: string; split: string; imagesDir: string; kinds: readonly BoxKind[] }): Promise<RefcocoEvalSet> {
  const folder = join(resolve(options.root), options.dataset);
  const refsPath = join(folder, `refs(${options.splitBy}).p`);
  const refs = unpickle(await readBytes(refsPath, 'refs pickle'), refsPath) as unknown as Ref[];
  if (!Array.isArray(refs)) throw new Error(`${refsPath}: expected a list of refs`);
  const instancesPath = join(folder, 'instances.json');
  let instances: { images?: Img[]; annotations?: Ann[] };
  try {
    instances = JSON.parse((await readBytes(instancesPath, 'instances file')).toString('utf8'));
  } catch (err) {
    throw new Error(`${instancesPath}: ${(err as Error).message.replace(`${instancesPath}: `, '')}`);
  }
  const anns = new Map((instances.annotations ?? []).map((a) => [a.id, a]));
  const imgs = new Map((instances.images ?? []).map((i) => [i.id, i]));
  const inSplit = refs.filter((ref) => ref.split === options.split);
  if (inSplit.length === 0) {
    const splits = [...new Set(refs.map((ref) => ref.split))].sort().join(', ');
    throw new Error(`${refsPath}: no refs in split '${options.split}' (splits: ${splits || 'none'})`);
  }
  const cases: EvalCase[] = [];
  for (const kind of options.kinds) {
    for (const ref of inSplit) {
      const ann = anns.get(ref.ann_id);
      if (!ann) throw new Error(`${refsPath}: ref ${ref.ref_id} names annotation ${ref.ann_id}, which ${instancesPath} does not have`);
      if (!imgs.has(ref.image_id)) throw new Error(`${refsPath}: ref ${ref.ref_id} names image ${ref.image_id}, which ${instancesPath} does not have`);
      const box = kind === 'visible' ? ann.bbox : ann.amodal_bbox;
      if (!box) continue;
      const truth = corners(box);
      if (!truth) throw new Error(`${instancesPath}: annotation ${JSON.stringify(ref.ann_id)}: ${kind === 'visible' ? 'bbox' : 'amodal_bbox'} is not [x, y, width, height] in numbers`);
      for (const sentence of ref.sentences) {
        const phrase = normalizePhrase(sentence.sent ?? sentence.raw ?? '');
        if (phrase) cases.push({ imageId: ref.image_id, annotationId: ref.ann_id, phrase, kind, truth });
      }
    }
  }
  const paths = await confinedImagePaths(new Set(cases.map((c) => c.imageId)), imgs, options.imagesDir, instancesPath);
  return {
    cases,
    imagePathOf: (imageId) => paths.get(imageId)!,
    sizeOf: (imageId) => imgs.get(imageId)!,
  };
}

/**
 * Each used image's file under the images folder; throws (one line, reading
 * nothing) for a file_name that leads out of it by name or through a link.
 */
async function confinedImagePaths(ids: Set<number>, imgs: Map<number, Img>, imagesDir: string, instancesPath: string): Promise<Map<number, string>> {
  const root = resolve(imagesDir);
  const paths = new Map<number, string>();
  const outside = (id: number) =>
    new Error(`${instancesPath}: image ${JSON.stringify(id)}: file_name ${JSON.stringify(imgs.get(id)!.file_name)} leads outside the images folder ${root}; refused`);
  for (const id of ids) {
    const name = imgs.get(id)!.file_name;
    if (typeof name !== 'string' || name === '') throw new Error(`${instancesPath}: image ${JSON.stringify(id)}: file_name is not a file name`);
    const path = resolve(root, ...name.split(/[\\/]/));
    // By name first: a path that is outside is never touched (a UNC name would reach its host).
    if (!insideLexically(path, root) || path === root) throw outside(id);
    paths.set(id, path);
  }
  const canonicalRoot = await canonicalPath(root);
  const ordered = [...paths];
  const canonical = await canonicalPaths(ordered.map(([, path]) => path));
  ordered.forEach(([id], i) => {
    if (!insideLexically(canonical[i]!, canonicalRoot)) throw outside(id);
  });
  return paths;
}
